// Larger text for those who need it (the portal's "A+" button); remembered on this device.
(function () {
  "use strict";
  const root = document.documentElement;
  if (localStorage.getItem("estate-large-text") === "1") root.classList.add("large-text");
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-text-size]")) return;
    const on = root.classList.toggle("large-text");
    localStorage.setItem("estate-large-text", on ? "1" : "0");
  });
})();
