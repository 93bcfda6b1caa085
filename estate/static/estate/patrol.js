// The guard's scan pages, by progressive enhancement. Every page works without this script (type
// the code, or tap "Record that I am here" on the page a label's QR code opens). With it:
// - the phone's location (navigator.geolocation, when the guard allows it) goes with each scan;
// - the page a label opens sends itself once the location is known (or refused, or slow);
// - where the browser has BarcodeDetector, a "Scan with the camera" button reads the QR code;
// - where it has Web NFC (NDEFReader, Android Chrome), holding the phone to a tag records it.
// Words come from the page (data-* on #patrol-scan), in its language.
(() => {
  "use strict";
  const LOCATION_WAIT_MS = 8000;

  const locate = () =>
    new Promise((resolve) => {
      if (!("geolocation" in navigator)) return resolve(null);
      const timer = setTimeout(() => resolve(null), LOCATION_WAIT_MS);
      navigator.geolocation.getCurrentPosition(
        (position) => {
          clearTimeout(timer);
          resolve(position.coords);
        },
        () => {
          clearTimeout(timer);
          resolve(null);
        },
        { enableHighAccuracy: true, timeout: LOCATION_WAIT_MS, maximumAge: 30000 },
      );
    });

  const fill = (form, coords) => {
    if (!coords) return;
    form.elements.latitude.value = coords.latitude.toFixed(6);
    form.elements.longitude.value = coords.longitude.toFixed(6);
    form.elements.accuracy.value = Math.round(coords.accuracy);
  };

  // The page a label's QR code opens: locate, then send the form by itself.
  const pointForm = document.querySelector("[data-patrol-point]");
  if (pointForm) {
    locate().then((coords) => {
      fill(pointForm, coords);
      pointForm.submit();
    });
    return;
  }

  const panel = document.getElementById("patrol-scan");
  if (!panel) return;
  const words = panel.dataset;
  let coords = null;
  locate().then((found) => {
    coords = found;
  });

  const send = (code, method) => {
    const form = panel.querySelector("[data-patrol-scan]");
    if (!form) return;
    form.elements.code.value = code;
    form.elements.method.value = method;
    fill(form, coords);
    form.submit();
  };

  // Typed codes still carry the location.
  panel.addEventListener("submit", (event) => {
    const form = event.target.closest("[data-patrol-scan]");
    if (form) fill(form, coords);
  });

  const tools = panel.querySelector("[data-patrol-tools]");
  const button = (label, onClick) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-outline-primary btn-lg";
    b.textContent = label;
    b.addEventListener("click", onClick);
    tools.appendChild(b);
    return b;
  };

  // A label's code is the last part of its address (/patrols/p/<code>/); a bare code is itself.
  const codeOf = (text) => {
    const match = /\/patrols\/p\/([^/?#]+)\/?/.exec(text);
    return match ? decodeURIComponent(match[1]) : text.trim();
  };

  if ("BarcodeDetector" in window && navigator.mediaDevices) {
    button(words.camera, async () => {
      const video = panel.querySelector("[data-patrol-video]");
      try {
        const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        const stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: "environment" },
        });
        video.srcObject = stream;
        video.classList.remove("d-none");
        await video.play();
        const look = async () => {
          const found = await detector.detect(video).catch(() => []);
          if (found.length) {
            stream.getTracks().forEach((track) => track.stop());
            send(codeOf(found[0].rawValue), "qr");
            return;
          }
          requestAnimationFrame(look);
        };
        look();
      } catch {
        tools.append(` ${words.noCamera}`);
      }
    });
  }

  if ("NDEFReader" in window) {
    const nfc = button(words.nfc, async () => {
      try {
        const reader = new window.NDEFReader();
        await reader.scan();
        nfc.textContent = words.nfcWaiting;
        nfc.disabled = true;
        reader.addEventListener("reading", (event) => send(event.serialNumber, "nfc"));
      } catch {
        nfc.disabled = true;
      }
    });
  }
})();
