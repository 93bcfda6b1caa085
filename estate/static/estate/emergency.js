// Opening an emergency: choosing its kind ticks the service units the office's plan calls for it.
(function () {
  "use strict";
  const plans = document.getElementById("emergency-plans");
  const category = document.querySelector("select[name=category]");
  if (!plans || !category) return;
  const byCategory = JSON.parse(plans.textContent);
  category.addEventListener("change", function () {
    const ids = (byCategory[category.value] || []).map(String);
    document.querySelectorAll("input[name=service_units]").forEach(function (box) {
      box.checked = ids.includes(box.value);
    });
  });
})();
