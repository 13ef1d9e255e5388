// The signage player (ADR 0043): plays its screen's schedule full screen, keeps the media
// in Cache Storage and the last schedule in localStorage so that it plays on without
// network, checks each item's validity, weekdays and dayparts against its own clock (Tokyo
// time), shows the emergency message at once (WebSocket; a faster poll while the socket is
// down), reports a heartbeat and its plays (kept while offline).
const config = JSON.parse(document.getElementById("signage-config").textContent);
const MEDIA = "signage-media-v1";
const STORE = "signage.schedule";
const PLAYS = "signage.plays";
const stage = document.getElementById("stage");
const banner = document.getElementById("emergency");
const bannerText = document.getElementById("emergency-text");

let schedule = readJSON(STORE, null);
let plays = readJSON(PLAYS, []);
let emergency = schedule ? schedule.emergency : null;
let current = null;
let index = 0;
let timer = null;
let revoked = false;
let socket = null;
let socketOpen = false;
const blobs = new Map();

function readJSON(key, fallback) {
  try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch { return fallback; }
}

function now() { return Date.now(); }

function toMinutes(text) { const [h, m] = text.split(":").map(Number); return h * 60 + m; }

// Tokyo has no daylight saving time: local time is UTC+9.
function tokyo(ms) {
  const d = new Date(ms + 9 * 3600 * 1000);
  return { weekday: (d.getUTCDay() + 6) % 7, minutes: d.getUTCHours() * 60 + d.getUTCMinutes() };
}

export function playable(item, ms) {
  if (ms < Date.parse(item.starts) || ms >= Date.parse(item.ends)) return false;
  const t = tokyo(ms);
  if (!item.weekdays.includes(t.weekday)) return false;
  if (!item.dayparts.length) return true;
  return item.dayparts.some(([s, e]) => {
    const a = toMinutes(s), b = toMinutes(e);
    return a < b ? t.minutes >= a && t.minutes < b : t.minutes >= a || t.minutes < b;
  });
}

function absolute(url) { return new URL(url, location.href).href; }

async function syncCache(items) {
  const cache = await caches.open(MEDIA);
  const wanted = new Set(items.filter((i) => i.media).map((i) => absolute(i.media)));
  for (const request of await cache.keys()) {
    if (!wanted.has(request.url)) {
      await cache.delete(request);
      if (blobs.has(request.url)) { URL.revokeObjectURL(blobs.get(request.url)); blobs.delete(request.url); }
    }
  }
  for (const url of wanted) {
    if (await cache.match(url)) continue;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.status === 403) { revoke(); return; }
      if (response.ok) await cache.put(url, response);
    } catch { /* offline: tried again on the next schedule */ }
  }
}

async function fetchSchedule() {
  let response;
  try {
    response = await fetch(config.schedule, { credentials: "same-origin", cache: "no-store" });
  } catch { return false; }  // no network: keep playing the last schedule
  if (response.status === 403) { revoke(); return false; }
  if (!response.ok) return false;
  const data = await response.json();
  await syncCache(data.items);
  if (revoked) return false;
  schedule = data;
  localStorage.setItem(STORE, JSON.stringify(data));
  setEmergency(data.emergency);
  if (current && !data.items.some((i) => i.id === current.id)) next();  // withdrawn
  return true;
}

async function mediaURL(item) {
  const url = absolute(item.media);
  if (blobs.has(url)) return blobs.get(url);
  const cache = await caches.open(MEDIA);
  const found = await cache.match(url);
  if (!found) return null;
  const objectURL = URL.createObjectURL(await found.blob());
  blobs.set(url, objectURL);
  return objectURL;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function widget(item) {
  const box = el("section", "signage__widget");
  box.append(el("h1", "signage__title", item.title));
  const data = item.widget || {};
  if (data.events) {
    const list = el("ul", "signage__list");
    for (const e of data.events) list.append(el("li", "", `${e.when}　${e.title}`));
    if (!data.events.length) list.append(el("li", "", config.text.noEvents));
    box.append(list);
  } else if (data.waits) {
    const list = el("ul", "signage__list");
    for (const w of data.waits) {
      list.append(el("li", "", `${w.service}　${config.text.people.replace("%(n)s", w.waiting)}　${config.text.minutes.replace("%(n)s", w.minutes)}`));
    }
    box.append(list);
  } else if (data.hours) {
    box.append(el("p", "signage__big", data.hours.open ? `${data.hours.opens}〜${data.hours.closes}` : config.text.closed));
  }
  return box;
}

// Returns a promise: true when shown, false when it cannot be (media not cached, or a
// video the browser cannot play).
async function render(item) {
  if (item.media) {
    const url = await mediaURL(item);
    if (!url) return false;
    if (item.kind === "video") {
      const video = el("video", "signage__media");
      video.muted = true; video.autoplay = true; video.playsInline = true; video.src = url;
      video.setAttribute("aria-label", item.title);
      const ok = await new Promise((resolve) => {
        video.addEventListener("playing", () => resolve(true), { once: true });
        video.addEventListener("error", () => resolve(false), { once: true });
        stage.replaceChildren(video);
        setTimeout(() => resolve(!video.error), 5000);
      });
      if (ok) video.addEventListener("ended", () => next(), { once: true });
      return ok;
    }
    const img = el("img", "signage__media");
    img.alt = item.title; img.src = url;
    stage.replaceChildren(img);
    return true;
  }
  if (item.notice) {
    const box = el("section", item.notice.large ? "signage__notice signage__notice--large" : "signage__notice");
    box.append(el("h1", "signage__title", item.title), el("p", "signage__body", item.notice.body));
    if (item.notice.qr) { const qr = el("img", "signage__qr"); qr.src = item.notice.qr; qr.alt = ""; box.append(qr); }
    stage.replaceChildren(box);
    return true;
  }
  stage.replaceChildren(widget(item));
  return true;
}

function remember(item, failed) {
  plays.push({ item: item.id, at: new Date(now()).toISOString(), failed });
  if (plays.length > 2000) plays = plays.slice(-2000);
  localStorage.setItem(PLAYS, JSON.stringify(plays));
}

function showState() {
  document.body.dataset.current = emergency ? "emergency" : (current ? current.id : "");
  document.body.dataset.title = emergency ? "" : (current ? current.title : "");
}

async function next() {
  clearTimeout(timer);
  if (revoked) return;
  if (emergency) { current = null; showState(); return; }
  const moment = now();
  const items = (schedule ? schedule.items : []).filter((i) => playable(i, moment));
  if (!items.length) {
    current = null;
    stage.replaceChildren(el("p", "signage__idle", config.text.idle));
    showState();
    timer = setTimeout(next, 5000);
    return;
  }
  const item = items[index++ % items.length];
  const shown = await render(item);
  if (revoked || emergency) return;
  remember(item, !shown);
  if (!shown) { timer = setTimeout(next, 1000); return; }
  current = item;
  showState();
  timer = setTimeout(next, (item.kind === "video" ? 300 : item.seconds) * 1000);
}

function setEmergency(found) {
  const changed = JSON.stringify(found || null) !== JSON.stringify(emergency || null);
  emergency = found || null;
  banner.hidden = !emergency;
  stage.hidden = Boolean(emergency);
  bannerText.textContent = emergency ? emergency.message : "";
  if (changed) { if (emergency) stage.replaceChildren(); next(); }
  showState();
}

// An item shown past its end (or taken off the schedule) leaves the screen within a second.
setInterval(() => {
  if (!current || emergency || revoked) return;
  const listed = schedule && schedule.items.some((i) => i.id === current.id);
  if (!listed || !playable(current, now())) next();
}, 1000);

async function revoke() {
  if (revoked) return;
  revoked = true;
  clearTimeout(timer);
  if (socket) socket.close();
  localStorage.removeItem(STORE); localStorage.removeItem(PLAYS);
  for (const name of await caches.keys()) await caches.delete(name);
  banner.hidden = true; stage.hidden = false;
  stage.replaceChildren(el("p", "signage__idle", config.text.neutral));
  document.body.dataset.current = "revoked";
}

async function beat() {
  if (revoked) return;
  const sending = plays.slice(0, 500);
  try {
    const response = await fetch(config.heartbeat, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": config.csrf },
      body: JSON.stringify({ current: current ? current.id : null, emergency: Boolean(emergency), plays: sending }),
    });
    if (response.status === 403) { const body = await response.json().catch(() => ({})); if (body.revoked) revoke(); return; }
    if (response.ok) {
      plays = plays.slice(sending.length);
      localStorage.setItem(PLAYS, JSON.stringify(plays));
    }
  } catch { /* offline: the plays wait */ }
}

function connect() {
  if (revoked) return;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(`${scheme}//${location.host}${config.socket}`);
  socket.addEventListener("open", () => { socketOpen = true; document.body.dataset.socket = "open"; });
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "emergency") setEmergency(message.emergency);
    else if (message.type === "refresh") fetchSchedule();
    else if (message.type === "revoked") revoke();
  });
  socket.addEventListener("close", (event) => {
    socketOpen = false; document.body.dataset.socket = "closed";
    if (event.code === 4403) { fetchSchedule(); return; }  // a revoked key: the poll says so
    setTimeout(connect, 3000);
  });
}

async function poll() {
  await fetchSchedule();
  setTimeout(poll, (socketOpen ? config.pollSeconds : config.fallbackSeconds) * 1000);
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(config.worker, { scope: config.scope }).catch(() => {});
}
setEmergency(emergency);
next();
connect();
poll();
setInterval(beat, config.heartbeatSeconds * 1000);
setTimeout(beat, 2000);
