// Text boxes that reach a requester: insert a recommended phrase at the cursor (the picker, or
// Alt+P to reach it), check the text as it is typed, and put a suggested phrase in place of a
// forbidden one with one click. Without JavaScript the server still checks on submit.
(function () {
  "use strict";
  const checkUrl = document.body.dataset.civilCheckUrl;

  let lastBox = null; // for a page-wide picker: the box last written in
  function boxFor(assist) { return assist ? document.getElementById(assist.dataset.civilFor) : lastBox; }
  function assistFor(box) {
    return box && box.id ? document.querySelector('[data-civil-for="' + box.id + '"]') : null;
  }
  function csrf() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // Where the caret was when the box was last written in or clicked: focus moving to the
  // picker must not lose it.
  function remember(box) {
    box.dataset.caretStart = box.selectionStart ?? box.value.length;
    box.dataset.caretEnd = box.selectionEnd ?? box.value.length;
  }

  function insertAtCursor(box, text) {
    const start = Number(box.dataset.caretStart ?? box.value.length);
    const end = Number(box.dataset.caretEnd ?? box.value.length);
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    box.focus();
    box.selectionStart = box.selectionEnd = start + text.length;
    remember(box);
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // The server counts positions in code points; JavaScript strings count UTF-16 units.
  function replaceCodePoints(box, start, end, text) {
    const chars = Array.from(box.value);
    chars.splice(start, end - start, ...Array.from(text));
    box.value = chars.join("");
    box.focus();
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  const timers = new WeakMap();
  function check(assist) {
    const box = boxFor(assist);
    if (!box || !checkUrl) return;
    const body = new FormData();
    body.append("text", box.value);
    body.append("office", assist.dataset.office || "");
    fetch(checkUrl, { method: "POST", body: body, headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { assist.querySelector("[data-civil-result]").innerHTML = html; })
      .catch(function () { /* the server checks again on submit */ });
  }

  document.addEventListener("change", function (event) {
    const picker = event.target.closest("[data-phrase-picker]");
    if (!picker || !picker.value) return;
    const box = boxFor(picker.closest("[data-civil-for]"));
    if (box) insertAtCursor(box, picker.value);
    picker.value = "";
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-replace-start]");
    if (!button) return;
    const assist = button.closest("[data-civil-for]");
    replaceCodePoints(boxFor(assist), Number(button.dataset.replaceStart), Number(button.dataset.replaceEnd), button.dataset.phrase);
  });

  document.addEventListener("focusin", function (event) {
    if (assistFor(event.target)) lastBox = event.target;
  });

  ["keyup", "click", "select"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (assistFor(event.target)) remember(event.target);
    });
  });

  document.addEventListener("input", function (event) {
    const assist = assistFor(event.target);
    if (!assist) return;
    remember(event.target);
    clearTimeout(timers.get(assist));
    timers.set(assist, setTimeout(function () { check(assist); }, 300));
  });

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "p" && event.key !== "P" && event.key !== "π")) return;
    const assist = assistFor(event.target);
    if (!assist) return;
    const picker = assist.querySelector("[data-phrase-picker]") || document.querySelector("[data-phrase-picker]");
    if (!picker) return;
    event.preventDefault();
    picker.focus();
  });
})();
