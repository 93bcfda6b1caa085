// The requester's signature on the completion form: drawn with a finger, a pen or a mouse
// (pointer events) on a canvas and sent as a PNG data URL in the form's hidden field. Nothing
// drawn, nothing sent: signing is optional. Clear empties both the canvas and the field.
(function () {
  "use strict";
  const INK = "#111";

  function setUp(pad) {
    const canvas = pad.querySelector("canvas");
    const form = pad.closest("form");
    const field = form && form.querySelector("input[data-signature-field]");
    const clear = pad.querySelector("[data-signature-clear]");
    if (!canvas || !field) return;
    const context = canvas.getContext("2d");
    // Inline styles are not allowed by the page's CSP; set from here they are.
    canvas.style.touchAction = "none"; // a finger draws instead of scrolling the page
    canvas.style.height = "10rem";
    if (pad.querySelector("[data-field=signature]")) field.value = ""; // refused: sign again
    let last = null;
    let width = 0;
    let height = 0;

    function paper() {
      context.save();
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.restore();
    }

    // The canvas's pixels follow its size on the screen (it sits in a collapsed panel at first,
    // and phones turn); what was drawn is kept in the field and drawn again.
    function fit() {
      const box = canvas.getBoundingClientRect();
      if (!box.width || (box.width === width && box.height === height)) return;
      width = box.width;
      height = box.height;
      const ratio = Math.min(window.devicePixelRatio || 1, 2);
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.lineWidth = 2.5;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = INK;
      paper();
      if (field.value) {
        const kept = new Image();
        kept.onload = function () {
          context.drawImage(kept, 0, 0, width, height);
        };
        kept.src = field.value;
      }
    }

    function point(event) {
      const box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }

    canvas.addEventListener("pointerdown", function (event) {
      fit();
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      last = point(event);
      context.beginPath();
      context.arc(last.x, last.y, context.lineWidth / 2, 0, 2 * Math.PI);
      context.fillStyle = INK;
      context.fill();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!last) return;
      event.preventDefault();
      const moves = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
      context.beginPath();
      context.moveTo(last.x, last.y);
      (moves.length ? moves : [event]).forEach(function (move) {
        last = point(move);
        context.lineTo(last.x, last.y);
      });
      context.stroke();
    });
    function stop() {
      if (!last) return;
      last = null;
      field.value = canvas.toDataURL("image/png");
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("lostpointercapture", stop);

    if (clear) {
      clear.addEventListener("click", function () {
        field.value = "";
        paper();
      });
    }
    if (window.ResizeObserver) {
      new ResizeObserver(fit).observe(canvas);
    } else {
      window.addEventListener("resize", fit);
    }
    fit();
  }

  document.querySelectorAll("[data-signature-pad]").forEach(setUp);
})();
