// The booth tablet (kiosk mode): waiting screen → consent → call → back to waiting.
// Configuration (and every word shown) comes from the page's <script type="application/json"
// id="kiosk-config"> block (no inline scripts: CSP 'self'). Nothing about the resident is
// kept on the device: no storage, the call's DOM is cleared and the camera released at the
// end, and the page is reloaded before the next resident.

import { Call, fmt } from "./call.js";

const config = JSON.parse(document.getElementById("kiosk-config").textContent);
const T = config.text;
const $ = (id) => document.getElementById(id);

const kiosk = {
  screen: "waiting",
  room: null,        // the room of the call that has started (public id)
  declined: null,    // the room whose consent was declined (until 「もどる」)
  call: null,        // the Call (call.js) once the resident consented
  face: null,        // the camera the call started with (device id)
  documentCamera: null,  // a second camera, if the tablet has one
};
window.madoguchiKiosk = kiosk;  // read by the browser tests

function show(screen, focus = true) {
  kiosk.screen = screen;
  for (const name of ["waiting", "consent", "call", "message"]) $(`kiosk-${name}`).hidden = name !== screen;
  document.body.dataset.screen = screen;
  if (focus) $(`kiosk-${screen}`).querySelector("h1").focus();
}

function message(text, back = true) {
  $("kiosk-message-text").textContent = text;
  $("kiosk-message").querySelector("[data-kiosk='back']").hidden = !back;
  show("message");
}

// ── waiting screen ───────────────────────────────────────────────────────────────────

async function poll() {
  if (kiosk.screen !== "waiting") return;
  let state;
  try {
    const response = await fetch(config.state, { credentials: "same-origin", cache: "no-store" });
    if (response.status === 403) { location.replace(config.home); return; }
    if (!response.ok) return;
    state = await response.json();
  } catch { return; }
  if (kiosk.screen !== "waiting") return;
  if (state.booking) {
    $("kiosk-next").textContent = T.next;
    $("kiosk-time").textContent = fmt(T.time, state.booking);
    $("kiosk-section").textContent = state.booking.section;
    $("kiosk-hint").textContent = T.wait_staff;
  } else {
    $("kiosk-next").textContent = T.none_today;
    for (const id of ["kiosk-time", "kiosk-section", "kiosk-hint"]) $(id).textContent = "";
  }
  if (state.live && state.room && state.room !== kiosk.declined) {
    kiosk.room = state.room;
    show("consent");
  }
}

// ── consent ──────────────────────────────────────────────────────────────────────────

async function agree() {
  const body = new FormData();
  body.append("room", kiosk.room);
  let response;
  try {
    response = await fetch(config.consent, {
      method: "POST", body, credentials: "same-origin",
      headers: { "X-CSRFToken": config.csrf },
    });
  } catch { message(T.error); return; }
  if (!response.ok) { message(T.error); return; }
  const { ws } = await response.json();
  await startCall(ws);
}

function decline() {
  kiosk.declined = kiosk.room;
  kiosk.room = null;
  message(T.declined);
}

// ── the call ─────────────────────────────────────────────────────────────────────────

function say(text) { $("kiosk-status").textContent = text; }

// 「書類を うつす」 appears when the tablet has a second camera (the booth's document
// camera); it switches between the camera the call started with (the face) and the last
// other camera listed (a USB document camera comes after the tablet's own cameras).
async function showDocumentButton() {
  const button = document.querySelector("[data-kiosk='document']");
  const call = kiosk.call;
  const cameras = call && !call.finished && call.camera ? await call.cameras() : [];
  if (!call || call.finished || kiosk.call !== call) { button.hidden = true; return; }
  if (kiosk.face === null && call.camera) kiosk.face = call.cameraId();
  const others = cameras.filter((camera) => camera.deviceId !== kiosk.face);
  kiosk.documentCamera = others.length ? others[others.length - 1].deviceId : null;
  button.hidden = !kiosk.documentCamera;
  const showingDocument = call.cameraId() !== kiosk.face;
  button.textContent = showingDocument ? T.show_face : T.show_document;
}

async function toggleDocument(button) {
  const call = kiosk.call;
  if (!call) return;
  const toDocument = call.cameraId() === kiosk.face;
  button.disabled = true;
  try {
    await call.useCamera(toDocument ? kiosk.documentCamera : kiosk.face);
    say(toDocument ? T.showing_document : T.showing_face);
  } catch {
    say(T.camera_problem);
  } finally {
    button.disabled = false;
  }
  await showDocumentButton();
}

async function startCall(path) {
  show("call");
  say(T.wait_admit);
  kiosk.face = null;
  kiosk.call = new Call({
    ws: path,
    role: "kiosk",
    iceServers: config.iceServers || [],
    text: T,
    videos: $("kiosk-videos"),
    preview: $("kiosk-local"),
    video: { facingMode: "user" },
    hooks: {
      lobby() { say(T.wait_admit); },
      admitted(data) { say(data.peers.length ? T.joined : T.joined_alone); },
      problem() { say(T.peer_problem); },
      reconnecting() { say(T.reconnecting); },
      noMedia() { say(T.no_media); },
      media() { showDocumentButton(); },
      finished({ reason }) { finish(reason === "error" ? T.error : T.thanks); },
    },
  });
  await kiosk.call.start();
}

// The call's recording (ADR 0012): whenever the call is recorded, the resident sees 「録画中」
// (the state comes with "admitted" and with every "recording" message).
function showRecording(active) { $("kiosk-recording").hidden = !active; }
document.addEventListener("madoguchi:message", (event) => {
  const message = event.detail && event.detail.message;
  if (!message) return;
  if (message.type === "recording") showRecording(Boolean(message.active));
  else if (message.type === "admitted") showRecording(Boolean(message.recording));
});

// Leave no trace: the call has closed the connections, released the cameras and the
// microphone and emptied its tiles; clear what is left, then start afresh from the waiting
// screen.
function finish(text) {
  say("");
  const button = document.querySelector("[data-kiosk='document']");
  button.hidden = true;
  button.textContent = T.show_document;
  kiosk.face = null;
  kiosk.documentCamera = null;
  kiosk.room = null;
  kiosk.declined = null;
  showRecording(false);
  message(text, false);
  setTimeout(() => location.replace(config.home), config.returnSeconds * 1000);
}

function toggleMic(button) {
  const off = button.getAttribute("aria-pressed") !== "true";
  button.setAttribute("aria-pressed", String(off));
  button.textContent = off ? T.unmute : T.mute;
  if (kiosk.call) kiosk.call.setEnabled("audio", !off);
  say(off ? T.mic_off : T.mic_on);
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-kiosk]");
  if (!button) return;
  const action = button.dataset.kiosk;
  if (action === "agree") { button.disabled = true; agree().finally(() => { button.disabled = false; }); }
  else if (action === "decline") decline();
  else if (action === "back") { kiosk.declined = null; show("waiting"); poll(); }
  else if (action === "mic") toggleMic(button);
  else if (action === "document") toggleDocument(button);
  else if (action === "leave" && kiosk.call) kiosk.call.leave();
});

// No resident data may stay on the device: this page never writes storage; clear what an
// earlier page of this origin might have left.
try { localStorage.clear(); sessionStorage.clear(); } catch { /* storage disabled */ }
show("waiting", false);
poll();
setInterval(poll, config.pollSeconds * 1000);
