// The booth tablet (kiosk mode): waiting screen → consent → call → back to waiting.
// Configuration (and every word shown) comes from the page's <script type="application/json"
// id="kiosk-config"> block (no inline scripts: CSP 'self'). Nothing about the resident is
// kept on the device: no storage, the call's DOM is cleared and the camera released at the
// end, and the page is reloaded before the next resident.

const config = JSON.parse(document.getElementById("kiosk-config").textContent);
const T = config.text;
const $ = (id) => document.getElementById(id);
const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (_m, key) => String(values[key] ?? ""));
const FINAL = new Set(["ended", "removed", "refused", "left"]);

const kiosk = {
  screen: "waiting",
  room: null,        // the room of the call that has started (public id)
  declined: null,    // the room whose consent was declined (until 「もどる」)
  ws: null,
  local: null,
  peers: new Map(),  // peer id -> {pc, tile, queue}
  admitted: false,
  finished: false,
  retries: 0,
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

function send(data) {
  if (kiosk.ws && kiosk.ws.readyState === WebSocket.OPEN) kiosk.ws.send(JSON.stringify(data));
}

function createPeer(id, label) {
  const existing = kiosk.peers.get(id);
  if (existing) return existing;
  const pc = new RTCPeerConnection({ iceServers: config.iceServers || [] });
  const tile = document.createElement("figure");
  tile.className = "meeting__tile";
  const video = document.createElement("video");
  video.autoplay = true;
  video.playsInline = true;
  const caption = document.createElement("figcaption");
  caption.textContent = label || T.participant;
  tile.append(video, caption);
  $("kiosk-videos").append(tile);
  const peer = { pc, tile, queue: Promise.resolve() };
  kiosk.peers.set(id, peer);
  if (kiosk.local) {
    for (const track of kiosk.local.getTracks()) pc.addTrack(track, kiosk.local);
  } else {
    pc.addTransceiver("audio", { direction: "recvonly" });
    pc.addTransceiver("video", { direction: "recvonly" });
  }
  pc.onicecandidate = (event) => {
    send({ type: "candidate", to: id, candidate: event.candidate ? event.candidate.toJSON() : null });
  };
  pc.ontrack = (event) => {
    if (event.streams[0] && video.srcObject !== event.streams[0]) video.srcObject = event.streams[0];
  };
  return peer;
}

function dropPeer(id) {
  const peer = kiosk.peers.get(id);
  if (!peer) return;
  peer.pc.close();
  const video = peer.tile.querySelector("video");
  video.srcObject = null;
  peer.tile.remove();
  kiosk.peers.delete(id);
}

function enqueue(id, label, work) {
  const peer = createPeer(id, label);
  peer.queue = peer.queue.then(() => work(peer)).catch(() => say(T.peer_problem));
}

const handlers = {
  lobby() { say(T.wait_admit); },
  admitted(data) {
    kiosk.admitted = true;
    say(data.peers.length ? T.joined : T.joined_alone);
    for (const other of data.peers) {
      enqueue(other.peer, other.label, async (peer) => {
        const offer = await peer.pc.createOffer();
        await peer.pc.setLocalDescription(offer);
        send({ type: "offer", to: other.peer, sdp: peer.pc.localDescription.sdp });
      });
    }
  },
  "peer-joined"(data) { createPeer(data.peer, data.label); },
  "peer-left"(data) { dropPeer(data.peer); },
  offer(data) {
    enqueue(data.from, "", async (peer) => {
      await peer.pc.setRemoteDescription({ type: "offer", sdp: data.sdp });
      const answer = await peer.pc.createAnswer();
      await peer.pc.setLocalDescription(answer);
      send({ type: "answer", to: data.from, sdp: peer.pc.localDescription.sdp });
    });
  },
  answer(data) {
    enqueue(data.from, "", (peer) => peer.pc.setRemoteDescription({ type: "answer", sdp: data.sdp }));
  },
  candidate(data) {
    if (data.candidate) enqueue(data.from, "", (peer) => peer.pc.addIceCandidate(data.candidate));
  },
  error(data) {
    if (["not_participant", "room_ended", "booking_cancelled", "kiosk_unknown"].includes(data.code)) {
      finish(T.error);
    }
  },
  pong() {},
};

function connect(path) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(`${scheme}//${location.host}${path}`);
  kiosk.ws = ws;
  ws.onopen = () => { kiosk.retries = 0; send({ type: "join" }); };
  ws.onmessage = (event) => {
    let data;
    try { data = JSON.parse(event.data); } catch { return; }
    if (FINAL.has(data.type)) { finish(T.thanks); return; }
    const handler = handlers[data.type];
    if (handler) handler(data);
  };
  ws.onclose = () => {
    if (kiosk.ws !== ws || kiosk.finished) return;
    kiosk.admitted = false;
    for (const id of [...kiosk.peers.keys()]) dropPeer(id);
    kiosk.retries += 1;
    say(T.reconnecting);
    setTimeout(() => { if (!kiosk.finished) connect(path); }, Math.min(500 * 2 ** kiosk.retries, 10000));
  };
}

async function startCall(path) {
  kiosk.finished = false;
  show("call");
  say(T.wait_admit);
  try {
    kiosk.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    $("kiosk-local").srcObject = kiosk.local;
  } catch {
    kiosk.local = null;
    say(T.no_media);
  }
  connect(path);
}

// Leave no trace: close the connections, release the camera and microphone, empty the
// call's part of the page, then start afresh from the waiting screen.
function finish(text) {
  if (kiosk.finished) return;
  kiosk.finished = true;
  kiosk.admitted = false;
  for (const id of [...kiosk.peers.keys()]) dropPeer(id);
  if (kiosk.local) for (const track of kiosk.local.getTracks()) track.stop();
  kiosk.local = null;
  $("kiosk-local").srcObject = null;
  say("");
  const ws = kiosk.ws;
  kiosk.ws = null;
  if (ws) ws.close();
  kiosk.room = null;
  kiosk.declined = null;
  message(text, false);
  setTimeout(() => location.replace(config.home), config.returnSeconds * 1000);
}

function toggleMic(button) {
  const off = button.getAttribute("aria-pressed") !== "true";
  button.setAttribute("aria-pressed", String(off));
  button.textContent = off ? T.unmute : T.mute;
  if (kiosk.local) for (const track of kiosk.local.getAudioTracks()) track.enabled = !off;
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
  else if (action === "leave") {
    if (kiosk.ws && kiosk.ws.readyState === WebSocket.OPEN) send({ type: "leave" });
    else finish(T.thanks);
  }
});

// No resident data may stay on the device: this page never writes storage; clear what an
// earlier page of this origin might have left.
try { localStorage.clear(); sessionStorage.clear(); } catch { /* storage disabled */ }
show("waiting", false);
poll();
setInterval(poll, config.pollSeconds * 1000);
setInterval(() => { if (kiosk.ws) send({ type: "ping" }); }, 60000);
