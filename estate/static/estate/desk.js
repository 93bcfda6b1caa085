// Front-desk console: choosing a requester from the look-up fills the form,
// and only the part of the form for the chosen outcome is shown.
(function () {
  const form = document.getElementById("contact-form");
  if (!form) return;
  const unit = form.querySelector("input[name=unit]");
  const requester = form.querySelector("input[name=requester]");
  const chosen = document.getElementById("chosen");

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-choose-unit]");
    if (!button) return;
    unit.value = button.dataset.chooseUnit;
    requester.value = button.dataset.chooseResident || "";
    chosen.textContent = button.dataset.name ? unit.value + " · " + button.dataset.name : unit.value;
    form.querySelector("textarea[name=intent]").focus();
  });
  unit.addEventListener("input", function () { requester.value = ""; chosen.textContent = ""; });

  function showOutcome() {
    const picked = form.querySelector("input[name=outcome]:checked");
    form.querySelectorAll("fieldset[data-outcome]").forEach(function (part) {
      part.hidden = !picked || part.dataset.outcome !== picked.value;
    });
  }
  form.addEventListener("change", showOutcome);
  showOutcome();
})();

// The requester look-up sends what was typed as ``q`` (set here rather than with hx-vals="js:…",
// which would need eval, refused by the Content-Security-Policy).
document.addEventListener("htmx:configRequest", (event) => {
  const field = event.detail.elt;
  if (field && field.matches("[data-lookup-query]")) event.detail.parameters.q = field.value;
});
