// The video room page (staff and guests): the call (call.js) with its controls, the lobby
// for hosts and the chat. Configuration comes from the page's <script type="application/json"
// id="meeting-config"> block (no inline scripts: CSP 'self'); every word shown comes from the
// page, in its language (madoguchi/meetings/views.py).

import { Call, fmt } from "./call.js";

const config = JSON.parse(document.getElementById("meeting-config").textContent);
const T = config.text;
const $ = (id) => document.getElementById(id);
const statusBox = $("meeting-status");
const errorBox = $("meeting-error");
const connection = $("meeting-connection");
const connectionText = $("meeting-connection-text");
const chatLog = $("chat-log");
const chatForm = $("chat-form");
const lobbyList = $("lobby-list");
const cameraBox = $("meeting-camera-choice");
const cameraSelect = $("meeting-camera");
const shareButton = document.querySelector("[data-action='share']");

const CONNECTION_TEXT = {
  new: T.state_new, connecting: T.state_connecting, alone: T.state_alone,
  connected: T.state_connected,
  reconnecting: T.state_reconnecting, disconnected: T.state_disconnected,
  failed: T.state_failed, closed: T.state_closed,
};

function say(text) { statusBox.textContent = text; }

function showError(text) {
  errorBox.textContent = text;
  errorBox.hidden = !text;
}

function showState(state) {
  connection.dataset.state = state;
  connectionText.textContent = CONNECTION_TEXT[state];
}

// ── chat and lobby ─────────────────────────────────────────────────────────────────────

function addChat(label, text, at) {
  const item = document.createElement("li");
  const time = at ? new Date(at).toLocaleTimeString(document.documentElement.lang || "ja", { hour: "2-digit", minute: "2-digit" }) : "";
  item.textContent = `${time} ${label}: ${text}`;
  chatLog.append(item);
  chatLog.scrollTop = chatLog.scrollHeight;
}

function lobbyButton(text, type, id, name) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button button--small " + (type === "admit" ? "button--primary" : "button--secondary");
  button.textContent = text;
  button.setAttribute("aria-label", fmt(T.button_for, { name, action: text }));
  button.addEventListener("click", () => call.send({ type, peer: id }));
  return button;
}

function showLobby(rows) {
  if (!lobbyList) return;
  lobbyList.replaceChildren();
  for (const row of rows) {
    const item = document.createElement("li");
    item.dataset.peer = row.peer;
    const name = document.createElement("span");
    name.textContent = fmt(T.waiting_one, { name: row.label });
    item.append(name, lobbyButton(T.admit, "admit", row.peer, row.label),
      lobbyButton(T.refuse, "refuse", row.peer, row.label));
    lobbyList.append(item);
  }
  $("lobby-empty").hidden = rows.length > 0;
  if (rows.length) say(fmt(T.waiting_count, { count: rows.length }));
}

// ── controls ───────────────────────────────────────────────────────────────────────────

// Mic and camera toggles in the call; the camera choice whenever there is a camera; the
// screen share in the call (and while sharing, so that it can always be stopped).
function setControls() {
  const on = !call.finished;
  for (const button of document.querySelectorAll("[data-action='mic'], [data-action='camera']")) {
    button.disabled = !on || !call.admitted || !call.hasMedia;
  }
  cameraSelect.disabled = !on || !call.camera;
  if (shareButton) {
    shareButton.hidden = !call.canShareScreen;
    shareButton.disabled = !on || !(call.admitted || call.screen);
    shareButton.textContent = call.screen ? T.share_stop : T.share_start;
    shareButton.classList.toggle("meeting__button--sharing", !!call.screen);
  }
  for (const field of chatForm.querySelectorAll("input, button")) field.disabled = !on || !call.admitted;
}

// The camera choice appears when there is more than one camera (e.g. a document camera).
async function showCameras() {
  let cameras = call.finished ? [] : await call.cameras();
  if (call.finished) cameras = [];  // ended while the browser listed them
  const current = call.cameraId();
  cameraSelect.replaceChildren(...cameras.map((camera, index) => {
    const option = document.createElement("option");
    option.value = camera.deviceId;
    option.textContent = camera.label || fmt(T.camera_n, { n: index + 1 });
    option.selected = camera.deviceId === current;
    return option;
  }));
  cameraBox.hidden = cameras.length < 2;
  setControls();
}

async function switchCamera() {
  const option = cameraSelect.selectedOptions[0];
  if (!option) return;
  try {
    await call.useCamera(option.value);
    showError("");
    say(fmt(call.screen ? T.camera_switched_sharing : T.camera_switched, { name: option.textContent }));
  } catch {
    showError(T.camera_failed);
  }
  await showCameras();
}

async function toggleShare() {
  if (call.screen) {
    await call.stopSharing();
    say(T.share_ended);
  } else {
    try {
      await call.shareScreen();
      showError("");
      if (call.screen) say(T.sharing);
    } catch (error) {
      if (error && error.name === "NotAllowedError") say(T.share_cancelled);
      else showError(T.share_failed);
    }
  }
  setControls();
}

function toggle(button, kind, onText, offText) {
  const off = button.getAttribute("aria-pressed") !== "true";
  button.setAttribute("aria-pressed", String(off));
  button.textContent = off ? onText : offText;
  call.setEnabled(kind, !off);
  say(kind === "audio" ? (off ? T.mic_off : T.mic_on) : (off ? T.camera_off : T.camera_on));
}

// ── the call ───────────────────────────────────────────────────────────────────────────

const call = new Call({
  ws: config.ws,
  role: config.role,
  iceServers: config.iceServers || [],
  text: T,
  videos: $("meeting-videos"),
  preview: $("meeting-local"),
  hooks: {
    state: showState,
    lobby(message) { say(message.message); },
    admitted(message) {
      showError("");
      say(message.peers.length ? T.joined : T.joined_alone);
      setControls();
    },
    peerJoined(message) { say(fmt(T.peer_joined, { name: message.label })); },
    peerLeft(label) { say(fmt(T.peer_left, { name: label })); },
    message(message) {
      if (message.type === "chat") addChat(message.label, message.text, message.at);
      else if (message.type === "waiting") showLobby(message.waiting);
    },
    error(message) { showError(message.message); },
    problem() { showError(T.peer_problem); },
    reconnecting() {
      say(T.reconnecting);
      setControls();
    },
    noMedia() { showError(T.no_media); },
    media() { showCameras(); },
    shareEnded() {
      say(T.share_ended);
      setControls();
    },
    finished({ reason, message }) {
      setControls();
      for (const button of document.querySelectorAll("[data-action='leave'], [data-action='end']")) {
        button.disabled = true;
      }
      say(reason === "error" ? T.not_entered : message || T.left);
    },
  },
});
window.madoguchiMeeting = call;  // read by the browser tests (connection states, stats)

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action]");
  if (!button || !button.closest("[data-meeting]")) return;
  const action = button.dataset.action;
  if (action === "mic") toggle(button, "audio", T.unmute, T.mute);
  else if (action === "camera") toggle(button, "video", T.camera_start, T.camera_stop);
  else if (action === "share") toggleShare();
  else if (action === "leave") call.leave();
  else if (action === "end") {
    if (window.confirm(T.confirm_end)) call.send({ type: "end" });
  }
});

cameraSelect.addEventListener("change", switchCamera);

chatForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("chat-text");
  const text = input.value.trim();
  if (!text) return;
  call.send({ type: "chat", text });
  input.value = "";
});

setControls();
await call.start();
