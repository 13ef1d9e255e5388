// The video room in the browser: WebRTC mesh (up to 6) with signaling over WebSocket.
// Protocol: docs/meetings-protocol.md. Configuration comes from the page's
// <script type="application/json" id="meeting-config"> block (no inline scripts: CSP 'self').

const config = JSON.parse(document.getElementById("meeting-config").textContent);
// Every word shown comes from the page, in its language (madoguchi/meetings/views.py).
const T = config.text;
const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (_m, key) => String(values[key] ?? ""));
const $ = (id) => document.getElementById(id);
const statusBox = $("meeting-status");
const errorBox = $("meeting-error");
const connection = $("meeting-connection");
const connectionText = $("meeting-connection-text");
const videos = $("meeting-videos");
const chatLog = $("chat-log");
const chatForm = $("chat-form");
const lobbyList = $("lobby-list");

const CONNECTION_TEXT = {
  new: T.state_new, connecting: T.state_connecting, connected: T.state_connected,
  reconnecting: T.state_reconnecting, disconnected: T.state_disconnected,
  failed: T.state_failed, closed: T.state_closed,
};
const FINAL_ERRORS = new Set([
  "not_participant", "link_unknown", "link_expired", "link_revoked", "link_in_use",
  "booking_cancelled", "room_ended",
]);

const meeting = {
  me: null,
  ws: null,
  local: null,
  peers: new Map(),      // peer id -> {pc, label, tile, queue}
  admitted: false,
  finished: false,
  retries: 0,
  signaling: "new",
};
window.madoguchiMeeting = meeting;  // read by the browser tests (connection states, stats)

function say(text) { statusBox.textContent = text; }

function showError(text) {
  errorBox.textContent = text;
  errorBox.hidden = !text;
}

function send(message) {
  if (meeting.ws && meeting.ws.readyState === WebSocket.OPEN) {
    meeting.ws.send(JSON.stringify(message));
  }
}

function updateConnection() {
  let state;
  if (meeting.finished) state = "closed";
  else if (meeting.signaling !== "open") state = meeting.retries > 0 ? "reconnecting" : "connecting";
  else if (meeting.peers.size === 0) state = meeting.admitted ? "connected" : "connecting";
  else {
    const states = [...meeting.peers.values()].map((p) => p.pc.connectionState);
    if (states.every((s) => s === "connected")) state = "connected";
    else if (states.some((s) => s === "failed")) state = "failed";
    else if (states.some((s) => s === "disconnected")) state = "disconnected";
    else state = "connecting";
  }
  connection.dataset.state = state;
  connectionText.textContent = CONNECTION_TEXT[state];
}

function setControls(enabled) {
  for (const button of document.querySelectorAll("[data-action='mic'], [data-action='camera']")) {
    button.disabled = !enabled || !meeting.local;
  }
  for (const field of chatForm.querySelectorAll("input, button")) field.disabled = !enabled;
}

async function startMedia() {
  try {
    meeting.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    $("meeting-local").srcObject = meeting.local;
  } catch (error) {
    meeting.local = null;
    showError(T.no_media);
  }
}

// ── peers ──────────────────────────────────────────────────────────────────────────────

function tileFor(id, label) {
  const figure = document.createElement("figure");
  figure.className = "meeting__tile";
  figure.dataset.peer = id;
  const video = document.createElement("video");
  video.autoplay = true;
  video.playsInline = true;
  const caption = document.createElement("figcaption");
  caption.textContent = label || T.participant;
  figure.append(video, caption);
  videos.append(figure);
  return figure;
}

function createPeer(id, label) {
  const existing = meeting.peers.get(id);
  if (existing) return existing;
  const pc = new RTCPeerConnection({ iceServers: config.iceServers || [] });
  const peer = { pc, label, tile: tileFor(id, label), queue: Promise.resolve() };
  meeting.peers.set(id, peer);
  if (meeting.local) {
    for (const track of meeting.local.getTracks()) pc.addTrack(track, meeting.local);
  } else {
    pc.addTransceiver("audio", { direction: "recvonly" });
    pc.addTransceiver("video", { direction: "recvonly" });
  }
  pc.onicecandidate = (event) => {
    send({ type: "candidate", to: id, candidate: event.candidate ? event.candidate.toJSON() : null });
  };
  pc.ontrack = (event) => {
    const video = peer.tile.querySelector("video");
    if (event.streams[0] && video.srcObject !== event.streams[0]) video.srcObject = event.streams[0];
  };
  pc.onconnectionstatechange = () => {
    peer.tile.dataset.state = pc.connectionState;
    updateConnection();
  };
  updateConnection();
  return peer;
}

function dropPeer(id) {
  const peer = meeting.peers.get(id);
  if (!peer) return;
  peer.pc.close();
  peer.tile.remove();
  meeting.peers.delete(id);
  updateConnection();
}

function dropAllPeers() {
  for (const id of [...meeting.peers.keys()]) dropPeer(id);
}

// Messages for one peer are handled in order (an ICE candidate may not overtake its offer).
function enqueue(id, label, work) {
  const peer = createPeer(id, label);
  peer.queue = peer.queue.then(() => work(peer)).catch(() => {
    showError(T.peer_problem);
  });
}

async function offerTo(peer, id) {
  const offer = await peer.pc.createOffer();
  await peer.pc.setLocalDescription(offer);
  send({ type: "offer", to: id, sdp: peer.pc.localDescription.sdp });
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
  button.addEventListener("click", () => send({ type, peer: id }));
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

// ── signaling ──────────────────────────────────────────────────────────────────────────

function finish(text) {
  meeting.finished = true;
  meeting.admitted = false;
  dropAllPeers();
  if (meeting.local) for (const track of meeting.local.getTracks()) track.stop();
  setControls(false);
  for (const button of document.querySelectorAll("[data-action='leave'], [data-action='end']")) {
    button.disabled = true;
  }
  say(text);
  updateConnection();
  if (meeting.ws) meeting.ws.close();
}

const handlers = {
  lobby(message) {
    meeting.me = message.peer;
    say(message.message);
  },
  admitted(message) {
    meeting.me = message.peer;
    meeting.admitted = true;
    showError("");
    say(message.peers.length ? T.joined : T.joined_alone);
    setControls(true);
    // The newcomer offers to everyone already in the call.
    for (const other of message.peers) enqueue(other.peer, other.label, (peer) => offerTo(peer, other.peer));
    updateConnection();
  },
  "peer-joined"(message) {
    createPeer(message.peer, message.label);
    say(fmt(T.peer_joined, { name: message.label }));
  },
  "peer-left"(message) {
    const peer = meeting.peers.get(message.peer);
    if (peer) say(fmt(T.peer_left, { name: peer.label }));
    dropPeer(message.peer);
  },
  offer(message) {
    enqueue(message.from, "", async (peer) => {
      await peer.pc.setRemoteDescription({ type: "offer", sdp: message.sdp });
      const answer = await peer.pc.createAnswer();
      await peer.pc.setLocalDescription(answer);
      send({ type: "answer", to: message.from, sdp: peer.pc.localDescription.sdp });
    });
  },
  answer(message) {
    enqueue(message.from, "", (peer) => peer.pc.setRemoteDescription({ type: "answer", sdp: message.sdp }));
  },
  candidate(message) {
    if (!message.candidate) return;
    enqueue(message.from, "", (peer) => peer.pc.addIceCandidate(message.candidate));
  },
  chat(message) {
    addChat(message.label, message.text, message.at);
  },
  waiting(message) {
    showLobby(message.waiting);
  },
  refused(message) { finish(message.message); },
  removed(message) { finish(message.message); },
  ended(message) { finish(message.message); },
  left(message) { finish(message.message); },
  pong() {},
  error(message) {
    if (FINAL_ERRORS.has(message.code)) {
      showError(message.message);
      finish(T.not_entered);
    } else {
      showError(message.message);
    }
  },
};

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(`${scheme}//${location.host}${config.ws}`);
  meeting.ws = ws;
  ws.onopen = () => {
    meeting.signaling = "open";
    meeting.retries = 0;
    updateConnection();
    send({ type: "join" });
  };
  ws.onmessage = (event) => {
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    const handler = handlers[message.type];
    if (handler) handler(message);
  };
  ws.onclose = () => {
    if (meeting.ws !== ws) return;
    meeting.signaling = "closed";
    if (meeting.finished) { updateConnection(); return; }
    // Reconnect with back-off; the server lets a participant who was in the call back in
    // at once, and the peer connections are negotiated again.
    meeting.admitted = false;
    dropAllPeers();
    setControls(false);
    meeting.retries += 1;
    say(T.reconnecting);
    updateConnection();
    setTimeout(connect, Math.min(500 * 2 ** meeting.retries, 10000));
  };
}

// ── controls ───────────────────────────────────────────────────────────────────────────

function toggle(button, kind, onText, offText) {
  const off = button.getAttribute("aria-pressed") !== "true";
  button.setAttribute("aria-pressed", String(off));
  button.textContent = off ? onText : offText;
  const tracks = kind === "audio" ? meeting.local.getAudioTracks() : meeting.local.getVideoTracks();
  for (const track of tracks) track.enabled = !off;
  say(kind === "audio" ? (off ? T.mic_off : T.mic_on) : (off ? T.camera_off : T.camera_on));
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action]");
  if (!button || !button.closest("[data-meeting]")) return;
  const action = button.dataset.action;
  if (action === "mic") toggle(button, "audio", T.unmute, T.mute);
  else if (action === "camera") toggle(button, "video", T.camera_start, T.camera_stop);
  else if (action === "leave") {
    if (meeting.ws && meeting.ws.readyState === WebSocket.OPEN && meeting.me) send({ type: "leave" });
    else finish(T.left);
  } else if (action === "end") {
    if (window.confirm(T.confirm_end)) send({ type: "end" });
  }
});

chatForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("chat-text");
  const text = input.value.trim();
  if (!text) return;
  send({ type: "chat", text });
  input.value = "";
});

await startMedia();
setControls(false);
connect();
// Keep-alive: proxies close idle sockets, and the server keeps a link holder's session alive.
setInterval(() => { if (!meeting.finished) send({ type: "ping" }); }, 60000);
