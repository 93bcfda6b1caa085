// Inside WeChat: open WeChat Pay's own sheet with the parameters the server signed; the status
// below the button follows the provider's notification (HTMX), whatever the sheet answers.
(function () {
  "use strict";
  function pay() {
    var data = document.getElementById("wechat-pay");
    if (!data || typeof WeixinJSBridge === "undefined") {
      return;
    }
    WeixinJSBridge.invoke("getBrandWCPayRequest", JSON.parse(data.textContent), function () {});
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-wechat-pay]")) {
      pay();
    }
  });
})();
