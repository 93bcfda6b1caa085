// The dashboard's trend chart: one figure over the last periods, with its target as a line.
(function () {
  "use strict";
  function start() {
    var holder = document.getElementById("trend-chart");
    var picker = document.getElementById("trend-measure");
    if (!holder || !picker || !window.echarts) return;
    fetch(holder.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.error) holder.textContent = data.error;
        else show(holder, picker, data);
      })
      .catch(function () { holder.textContent = holder.getAttribute("data-failed"); });
  }
  function show(holder, picker, data) {
    var chart = window.echarts.init(holder);
    data.series.forEach(function (series) {
      var option = document.createElement("option");
      option.value = series.key;
      option.textContent = series.name;
      picker.appendChild(option);
    });
    var missedRow = document.querySelector("tr.table-danger[data-measure]");
    if (missedRow) picker.value = missedRow.getAttribute("data-measure");
    function draw() {
      var series = data.series.find(function (s) { return s.key === picker.value; });
      if (!series) return;
      var lines = [{ name: series.name, type: "line", data: series.values, connectNulls: false }];
      if (series.target !== null) {
        lines.push({
          name: holder.getAttribute("data-target-label"), type: "line",
          data: data.periods.map(function () { return series.target; }),
          lineStyle: { type: "dashed", color: "#dc3545" }, symbol: "none",
        });
      }
      chart.setOption({
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 16, top: 16, bottom: 28 },
        xAxis: { type: "category", data: data.periods },
        yAxis: { type: "value", scale: true },
        series: lines,
      }, true);
      holder.setAttribute("data-shown", series.key);
    }
    picker.addEventListener("change", draw);
    window.addEventListener("resize", function () { chart.resize(); });
    draw();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
