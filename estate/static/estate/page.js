// Small behaviours declared in the markup, so that no page needs inline script (CSP):
// data-autosubmit on a select submits its form when changed; data-print prints the page.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
