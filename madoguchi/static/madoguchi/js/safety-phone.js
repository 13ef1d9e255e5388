// 安否確認 on a phone that may lose the network. Each entry gets an id made here (a UUID)
// and waits in IndexedDB until the server has answered for it: "saved" or "duplicate"
// (already received: a resend) remove it; "refused" moves it to the refused list with the
// server's message. Sending is retried when the network returns, on load and every 15 s.
// A Service Worker (phone-sw.js) keeps this page and its files for use without network.
const root = document.getElementById("safety-phone");
const text = JSON.parse(document.getElementById("phone-text").textContent);
const QUEUE = "queue";
const REFUSED = "refused";
const BATCH = 100;
const CACHE = "madoguchi-safety-v1";

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open("madoguchi-safety", 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(QUEUE, { keyPath: "client_id" });
      request.result.createObjectStore(REFUSED, { keyPath: "client_id" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

const db = await openDb();

function store(name, mode, work) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    const result = work(tx.objectStore(name));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
  });
}

const all = (name) => store(name, "readonly", (s) => s.getAll());

function uuid4() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const mine = (entry) => entry.user === root.dataset.user;

async function render() {
  const queued = (await all(QUEUE)).filter(mine);
  const status = document.getElementById("phone-queue");
  status.textContent = queued.length ? text.queued.replace("%(n)s", queued.length) : text.empty;
  root.dataset.queued = String(queued.length);
  document.querySelectorAll("[data-pending]").forEach((el) => { el.textContent = ""; });
  for (const entry of queued) {
    const cell = document.querySelector(`tr[data-person="${entry.record.entry}"] [data-pending]`);
    if (cell && entry.endpoint === root.dataset.endpoint) cell.textContent = `（${text.pending}：${entry.label}）`;
  }
  const refused = (await all(REFUSED)).filter(mine);
  const list = document.getElementById("phone-refused");
  if (refused.length) {
    list.replaceChildren(...refused.map((entry) => {
      const item = document.createElement("li");
      item.textContent = `${entry.person}・${entry.label}：${entry.message}`;
      return item;
    }));
  }
}

function csrfToken() {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice(10)) : root.dataset.csrf;
}

let sending = false;

async function send() {
  if (sending) return;
  sending = true;
  let sent = 0;
  try {
    const queued = (await all(QUEUE)).filter(mine);
    const byEndpoint = new Map();
    for (const entry of queued) {
      if (!byEndpoint.has(entry.endpoint)) byEndpoint.set(entry.endpoint, []);
      byEndpoint.get(entry.endpoint).push(entry);
    }
    for (const [endpoint, entries] of byEndpoint) {
      for (let start = 0; start < entries.length; start += BATCH) {
        const chunk = entries.slice(start, start + BATCH);
        const response = await fetch(endpoint, {
          method: "POST", redirect: "manual", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify({ records: chunk.map((e) => e.record) }),
        });
        const json = (response.headers.get("Content-Type") || "").includes("json");
        if (!response.ok || !json) {
          if (response.status === 403 || response.type === "opaqueredirect") {
            document.getElementById("phone-queue").textContent = text.login;
          }
          return;
        }
        const { results } = await response.json();
        const byId = new Map(chunk.map((e) => [e.client_id, e]));
        await store(QUEUE, "readwrite", (s) => {
          for (const result of results) if (byId.has(result.client_id)) s.delete(result.client_id);
        });
        const refused = results.filter((r) => r.result === "refused" && byId.has(r.client_id));
        if (refused.length) {
          await store(REFUSED, "readwrite", (s) => {
            for (const r of refused) s.put({ ...byId.get(r.client_id), message: r.message });
          });
        }
        sent += results.filter((r) => r.result !== "refused").length;
      }
    }
  } catch (error) {
    // no network: the entries stay queued and are sent later
  } finally {
    sending = false;
    await render();
    if (sent) root.dataset.sent = String(Number(root.dataset.sent || 0) + sent);
  }
}

const form = document.getElementById("phone-form");
const errorBox = document.getElementById("phone-error");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const problem = !data.get("entry") ? text.person : !data.get("status") ? text.status : "";
  errorBox.textContent = problem;
  if (problem) {
    errorBox.focus();
    return;
  }
  const person = form.elements.entry.selectedOptions[0].textContent;
  const label = form.querySelector("input[name=status]:checked + label").textContent;
  const entry = {
    client_id: uuid4(), user: root.dataset.user, endpoint: root.dataset.endpoint, person, label,
    record: {
      client_id: "", entry: Number(data.get("entry")), status: data.get("status"),
      shelter: data.get("shelter") || "", note: (data.get("note") || "").trim(),
      recorded_at: new Date().toISOString(),
    },
  };
  entry.record.client_id = entry.client_id;
  await store(QUEUE, "readwrite", (s) => s.put(entry));
  form.reset();
  form.elements.entry.focus();
  await render();
  document.getElementById("phone-queue").textContent += ` ${text.saved}`;
  send();
});

window.addEventListener("online", send);
window.setInterval(send, 15000);
await render();
send();

// Keep this page and its files for use without network (first visit: the worker is not
// in charge of it yet, so they are stored from here; later visits refresh them). Only once
// the worker is active and the copy is stored can the page be reopened without network:
// then, and not before, the page says so (data-offline, and a line for the person).
if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register(root.dataset.worker)
    .then(() => navigator.serviceWorker.ready)
    .then(async () => {
      const cache = await caches.open(CACHE);
      if (!(await cache.matchAll(location.href, { ignoreVary: true })).length) {
        const files = [...document.querySelectorAll("link[rel=stylesheet][href], script[src]")]
          .map((el) => el.href || el.src);
        await cache.addAll([location.href, ...files]);
      }
      document.getElementById("phone-offline").textContent = text.offline;
      root.dataset.offline = "1";
    }).catch(() => {});
}
root.dataset.ready = "1";
