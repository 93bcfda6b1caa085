// The field view on a phone: installable (the service worker keeps the pages once seen), and
// tolerant of lost signal. A step form marked data-queue (accept, start, a photo, completion)
// submitted without signal is kept on the phone (IndexedDB) with the time it was done, and
// sent when the signal is back; the server records it at that time or refuses it, and the
// worker is told which. Words come from the page (data-* on #field-queue), in its language.
(() => {
  "use strict";
  const panel = document.getElementById("field-queue");
  if (!panel) return;
  const words = panel.dataset;
  const DB = "estate-field";
  const STORE = "steps";

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(panel.dataset.worker, { scope: "/" }).catch(() => {});
  }

  const open = () =>
    new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () =>
        request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });

  const run = async (mode, work) => {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result.result);
      tx.onerror = () => reject(tx.error);
    });
  };
  const all = () => run("readonly", (store) => store.getAll());
  const keep = (step) => run("readwrite", (store) => store.add(step));
  const drop = (id) => run("readwrite", (store) => store.delete(id));

  const say = (text, kind) => {
    const line = document.createElement("div");
    line.className = `alert alert-${kind} py-2 mb-2`;
    line.textContent = text;
    line.dataset.testid = `queue-${kind}`;
    panel.querySelector("[data-said]").append(line);
  };

  const show = async () => {
    const steps = await all();
    const list = panel.querySelector("[data-kept]");
    list.replaceChildren(
      ...steps.map((step) => {
        const item = document.createElement("li");
        item.className = "list-group-item";
        item.textContent = `${step.number} · ${step.label} · ${new Date(step.doneAt).toLocaleTimeString()}`;
        return item;
      }),
    );
    panel.querySelector("[data-kept-title]").hidden = steps.length === 0;
  };

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("form[data-queue]") || navigator.onLine) return;
    event.preventDefault();
    const fields = [];
    for (const [name, value] of new FormData(form)) fields.push([name, value]);
    await keep({
      url: form.action,
      fields,
      doneAt: new Date().toISOString(),
      number: form.dataset.number,
      label: form.dataset.queue,
    });
    say(`${form.dataset.number} · ${form.dataset.queue}: ${words.kept}`, "warning");
    await show();
  });

  let sending = false;
  const send = async () => {
    if (sending || !navigator.onLine) return;
    sending = true;
    let recorded = 0;
    try {
      for (const step of await all()) {
        const body = new FormData();
        for (const [name, value] of step.fields) body.append(name, value);
        body.append("done_at", step.doneAt);
        let answer;
        try {
          answer = await fetch(step.url, {
            method: "POST",
            body,
            credentials: "same-origin",
            redirect: "manual",
            headers: { "X-Estate-Queued": "1" },
          });
        } catch {
          break; // no signal after all: try again when it is back
        }
        if (answer.type === "opaqueredirect" || answer.status === 302) {
          say(words.signIn, "danger"); // the session ended: kept until they sign in again
          break;
        }
        let reply = { ok: false, message: words.refused };
        try {
          reply = await answer.json();
        } catch {}
        await drop(step.id);
        if (reply.ok) {
          recorded += 1;
          say(`${reply.message} · ${words.recorded}`, "success");
        } else {
          say(`${step.number} · ${step.label}: ${words.notRecorded} ${reply.message}`, "danger");
        }
      }
    } finally {
      sending = false;
      await show();
    }
    if (recorded && panel.dataset.reload !== undefined) {
      setTimeout(() => window.location.reload(), 1500); // the order as it now stands
    }
  };

  window.addEventListener("online", send);
  window.addEventListener("offline", () => say(words.offline, "secondary"));
  show().then(send);

  // A link to an order's step (#act-complete, from the jobs cards) opens that step's form.
  const target = window.location.hash.startsWith("#act-")
    ? document.querySelector(window.location.hash)
    : null;
  if (target && window.bootstrap) window.bootstrap.Collapse.getOrCreateInstance(target).show();
})();
