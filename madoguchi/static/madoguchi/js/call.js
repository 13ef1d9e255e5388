// The call in the browser, shared by the room page (meeting.js) and the booth tablet
// (kiosk.js): a WebRTC mesh (up to 6) with signaling over WebSocket, reconnection, the local
// media (call-media.js: microphone, cameras, a shared screen) and the browser call events
// other page modules build on. Protocol and events: docs/meetings-protocol.md.
// The pages own every word shown; this module reports through `hooks`.

import { CallMedia, emit, live } from "./call-media.js";

export const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (_m, key) => String(values[key] ?? ""));

// Server messages after which the socket closes for good.
const FINAL_TYPES = new Set(["refused", "removed", "ended", "left"]);
const FINAL_ERRORS = new Set([
  "not_participant", "link_unknown", "link_expired", "link_revoked", "link_in_use",
  "booking_cancelled", "room_ended", "kiosk_unknown",
]);
const NEGOTIATION = new Set(["offer", "answer", "candidate", "pong"]);
const KINDS = ["audio", "video"];

export class Call extends CallMedia {
  // ws: the signaling path (/ws/meet/<room>/); role: "host" | "staff" | "guest" | "kiosk";
  // videos: the element the peers' tiles go into; preview: the local <video>;
  // video: getUserMedia's video constraints; text: the page's words (participant label).
  // hooks (all optional): state(state), lobby(msg), admitted(msg), peerJoined(msg),
  // peerLeft(label), message(msg), error(msg, final), problem(), reconnecting(),
  // noMedia(), media(), shareEnded(), finished({reason, message}).
  constructor({ ws, role, iceServers = [], text, videos, preview, video = true, hooks = {} }) {
    super();
    Object.assign(this, { path: ws, role, iceServers, text, videos, preview, hooks });
    this.videoConstraints = video;
    this.roomId = (ws.match(/\/ws\/meet\/([0-9a-f-]+)\//) || [])[1] || null;
    this.me = null;
    this.ws = null;
    this.local = null;    // the MediaStream every peer receives: microphone + current video
    this.camera = null;   // the camera's video track (kept while a screen is shared)
    this.screen = null;   // the shared screen's video track, or null
    this.peers = new Map();  // peer id -> {pc, label, tile, stream, queue}
    this.admitted = false;
    this.finished = false;
    this.announced = false;  // madoguchi:call-ended sent
    this.retries = 0;
    this.signaling = "new";
    this.keepAlive = null;
  }

  async start() {
    const call = this;
    window.madoguchiCall = {
      role: this.role, roomId: this.roomId, send: (message) => this.send(message),
      // For modules that start after the events: what the last events announced.
      get localStream() { return call.local; },
      remoteStreams: () => [...this.peers].map(([peer, { stream }]) => ({ peer, stream })),
    };
    window.addEventListener("pagehide", () => this.announceEnd(), { once: true });
    navigator.mediaDevices?.addEventListener?.("devicechange", () => {
      if (!this.finished) this.hook("media");
    });
    await this.startMedia();
    if (this.finished) return;
    this.connect();
    // Keep-alive: proxies close idle sockets; the server keeps a link holder's session alive
    // and counts the connection as present (an attendance silent for 90 s is closed).
    this.keepAlive = setInterval(() => this.send({ type: "ping" }), 20000);
  }

  hook(name, ...args) {
    const hook = this.hooks[name];
    return hook ? hook(...args) : undefined;
  }

  send(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  // ── peers ───────────────────────────────────────────────────────────────────────────

  tile(id, label) {
    const figure = document.createElement("figure");
    figure.className = "meeting__tile";
    figure.dataset.peer = id;
    const video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    const caption = document.createElement("figcaption");
    caption.textContent = label || this.text.participant;
    figure.append(video, caption);
    this.videos.append(figure);
    return figure;
  }

  createPeer(id, label) {
    const existing = this.peers.get(id);
    if (existing) return existing;
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    const peer = { pc, label, tile: this.tile(id, label), stream: new MediaStream(),
                   queue: Promise.resolve(), announce: null };
    this.peers.set(id, peer);
    pc.onicecandidate = (event) => {
      this.send({ type: "candidate", to: id, candidate: event.candidate ? event.candidate.toJSON() : null });
    };
    pc.ontrack = (event) => {
      if (!peer.stream.getTracks().includes(event.track)) peer.stream.addTrack(event.track);
      const video = peer.tile.querySelector("video");
      if (video.srcObject !== peer.stream) video.srcObject = peer.stream;
      // One event per connection, after all of its tracks (fired in the same task) arrived.
      clearTimeout(peer.announce);
      peer.announce = setTimeout(() => {
        if (this.peers.get(id) === peer) emit("remote-stream", { peer: id, stream: peer.stream });
      }, 0);
    };
    pc.onconnectionstatechange = () => {
      peer.tile.dataset.state = pc.connectionState;
      this.changed();
    };
    this.changed();
    return peer;
  }

  dropPeer(id) {
    const peer = this.peers.get(id);
    if (!peer) return;
    clearTimeout(peer.announce);
    peer.pc.close();
    peer.tile.querySelector("video").srcObject = null;
    peer.tile.remove();
    this.peers.delete(id);
    emit("peer-left", { peer: id });
    this.changed();
  }

  dropAllPeers() {
    for (const id of [...this.peers.keys()]) this.dropPeer(id);
  }

  // Messages for one peer are handled in order (an ICE candidate may not overtake its offer).
  enqueue(id, label, work) {
    const peer = this.createPeer(id, label);
    peer.queue = peer.queue.then(() => work(peer)).catch(() => this.hook("problem"));
  }

  // The offerer sends audio and video (or room for them: sendrecv without a track, so that
  // a screen shared later needs no renegotiation).
  async offerTo(peer, id) {
    for (const kind of KINDS) {
      peer.pc.addTransceiver(this.track(kind) || kind, { direction: "sendrecv", streams: this.local ? [this.local] : [] });
    }
    await peer.pc.setLocalDescription(await peer.pc.createOffer());
    this.send({ type: "offer", to: id, sdp: peer.pc.localDescription.sdp });
  }

  async answer(peer, id, sdp) {
    await peer.pc.setRemoteDescription({ type: "offer", sdp });
    for (const transceiver of peer.pc.getTransceivers()) {
      transceiver.direction = "sendrecv";
      await transceiver.sender.replaceTrack(this.track(transceiver.receiver.track.kind));
      if (transceiver.sender.setStreams && this.local) transceiver.sender.setStreams(this.local);
    }
    await peer.pc.setLocalDescription(await peer.pc.createAnswer());
    this.send({ type: "answer", to: id, sdp: peer.pc.localDescription.sdp });
  }

  // ── connection state ────────────────────────────────────────────────────────────────

  connectionState() {
    if (this.finished) return "closed";
    if (this.signaling !== "open") return this.retries > 0 ? "reconnecting" : "connecting";
    // 「良好」 only with a peer connected: in the call alone, it says whom it waits for.
    if (this.peers.size === 0) return this.admitted ? "alone" : "connecting";
    const states = [...this.peers.values()].map((p) => p.pc.connectionState);
    if (states.every((s) => s === "connected")) return "connected";
    if (states.some((s) => s === "failed")) return "failed";
    if (states.some((s) => s === "disconnected")) return "disconnected";
    return "connecting";
  }

  changed() { this.hook("state", this.connectionState()); }

  // ── signaling ───────────────────────────────────────────────────────────────────────

  receive(message) {
    if (!NEGOTIATION.has(message.type)) emit("message", { message });
    if (FINAL_TYPES.has(message.type)) {
      this.finish({ reason: "ended", message: message.message });
      return;
    }
    switch (message.type) {
      case "lobby":
        this.me = message.peer;
        this.hook("lobby", message);
        break;
      case "admitted":
        this.me = message.peer;
        this.admitted = true;
        // The newcomer offers to everyone already in the call.
        for (const other of message.peers) {
          this.enqueue(other.peer, other.label, (peer) => this.offerTo(peer, other.peer));
        }
        this.hook("admitted", message);
        this.changed();
        break;
      case "peer-joined":
        this.createPeer(message.peer, message.label);
        this.hook("peerJoined", message);
        break;
      case "peer-left": {
        const peer = this.peers.get(message.peer);
        this.dropPeer(message.peer);
        if (peer) this.hook("peerLeft", peer.label);
        break;
      }
      case "offer":
        this.enqueue(message.from, "", (peer) => this.answer(peer, message.from, message.sdp));
        break;
      case "answer":
        this.enqueue(message.from, "", (peer) => peer.pc.setRemoteDescription({ type: "answer", sdp: message.sdp }));
        break;
      case "candidate":
        if (message.candidate) this.enqueue(message.from, "", (peer) => peer.pc.addIceCandidate(message.candidate));
        break;
      case "error": {
        const final = FINAL_ERRORS.has(message.code);
        this.hook("error", message, final);
        if (final) this.finish({ reason: "error", message: message.message });
        break;
      }
      case "pong":
        break;
      default:
        this.hook("message", message);
    }
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${location.host}${this.path}`);
    this.ws = ws;
    ws.onopen = () => {
      this.signaling = "open";
      this.retries = 0;
      this.changed();
      this.send({ type: "join" });
    };
    ws.onmessage = (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message && typeof message === "object") this.receive(message);
    };
    ws.onclose = () => {
      if (this.ws !== ws || this.finished) return;
      this.signaling = "closed";
      // Reconnect with back-off; the server lets a participant who was in the call back in
      // at once, and the peer connections are negotiated again with the current tracks.
      this.admitted = false;
      this.dropAllPeers();
      this.retries += 1;
      this.hook("reconnecting");
      this.changed();
      setTimeout(() => { if (!this.finished) this.connect(); }, Math.min(500 * 2 ** this.retries, 10000));
    };
  }

  // Leave on purpose: the server answers `left` (then finish); offline, finish at once.
  leave() {
    if (this.ws && this.ws.readyState === WebSocket.OPEN && this.me) this.send({ type: "leave" });
    else this.finish({ reason: "left", message: null });
  }

  // The call is over for this page: close the connections, release camera, microphone and
  // shared screen, empty the call's tiles and the preview.
  finish({ reason, message }) {
    if (this.finished) return;
    this.finished = true;
    this.admitted = false;
    this.signaling = "closed";
    clearInterval(this.keepAlive);
    this.dropAllPeers();
    for (const track of [this.camera, this.screen, ...(this.local ? this.local.getTracks() : [])]) {
      if (track) track.stop();
    }
    this.camera = null;
    this.screen = null;
    this.local = null;
    this.preview.srcObject = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close();
    this.announceEnd();
    this.hook("finished", { reason, message });
    this.changed();
  }

  announceEnd() {
    if (this.announced) return;
    this.announced = true;
    emit("call-ended", {});
    if (window.madoguchiCall && window.madoguchiCall.roomId === this.roomId) delete window.madoguchiCall;
  }
}
