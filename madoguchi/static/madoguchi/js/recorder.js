// Recording of a video call (ADR 0012; server side madoguchi/meetings/recording_services.py).
//
// On the room page (staff) and the lobby page of a one-time link: the "録画中" indicator,
// the person's own answer to "may this call be recorded?", and for hosts the start/stop
// buttons and everyone's answers (with the spoken answers a host records). In the browser
// of the host who starts it: a composition of the call (a canvas with every video tile and
// a Web Audio mix of every audio track) recorded by MediaRecorder, uploaded a piece a second.
//
// Media comes from the call script's events (docs/contracts/issues-4-5-6-interfaces.md,
// "Browser call events"): madoguchi:local-stream, madoguchi:remote-stream,
// madoguchi:peer-left, madoguchi:call-ended. This is a classic script placed after the
// page's call markup: it runs before the call script (a module), so no event is missed.
(() => {
  "use strict";

  const WIDTH = 1280;
  const HEIGHT = 720;
  const FPS = 15;
  const PIECE_MS = 1000;
  const streams = new Map(); // "local" or a peer id -> MediaStream
  let composer = null;
  let recording = null; // {recorder, composer, url, index, chain, closed}
  let ended = false;

  function setStream(key, stream) {
    if (stream) streams.set(key, stream);
    else streams.delete(key);
    if (composer) composer.sync();
  }

  document.addEventListener("madoguchi:local-stream", (event) => setStream("local", event.detail && event.detail.stream));
  document.addEventListener("madoguchi:remote-stream", (event) => {
    if (event.detail && event.detail.peer) setStream(event.detail.peer, event.detail.stream);
  });
  document.addEventListener("madoguchi:peer-left", (event) => {
    if (event.detail && event.detail.peer) setStream(event.detail.peer, null);
  });
  document.addEventListener("madoguchi:call-ended", () => {
    ended = true;
    if (recording) stopByHost();
  });

  const configNode = document.getElementById("recording-config");
  if (!configNode) return;
  const config = JSON.parse(configNode.textContent);
  const T = config.text;
  const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (_m, key) => String(values[key] ?? ""));
  const $ = (id) => document.getElementById(id);
  const live = $("recording-live");
  const answerForm = $("recording-answer");
  const answerStatus = $("recording-answer-status");
  const startButton = $("recording-start");
  const stopButton = $("recording-stop");
  const errorBox = $("recording-error");
  const people = $("recording-people");
  let state = null;

  // ── the composition ─────────────────────────────────────────────────────────────────

  function makeComposer() {
    const canvas = document.createElement("canvas");
    canvas.width = WIDTH;
    canvas.height = HEIGHT;
    const paint = canvas.getContext("2d");
    const audio = new AudioContext();
    const mix = audio.createMediaStreamDestination();
    const holder = document.createElement("div");
    holder.hidden = true;
    document.body.append(holder);
    const videos = new Map(); // key -> muted <video> (also needed for remote audio to flow)
    const sources = new Map(); // key -> {node, stream}

    function sync() {
      for (const [key, stream] of streams) {
        let video = videos.get(key);
        if (!video) {
          video = document.createElement("video");
          video.muted = true;
          video.playsInline = true;
          holder.append(video);
          videos.set(key, video);
        }
        if (video.srcObject !== stream) {
          video.srcObject = stream;
          video.play().catch(() => {});
        }
        const source = sources.get(key);
        if (source && source.stream !== stream) {
          source.node.disconnect();
          sources.delete(key);
        }
        if (!sources.has(key) && stream.getAudioTracks().length) {
          const node = audio.createMediaStreamSource(stream);
          node.connect(mix);
          sources.set(key, { node, stream });
        }
      }
      for (const [key, video] of videos) {
        if (!streams.has(key)) { video.srcObject = null; video.remove(); videos.delete(key); }
      }
      for (const [key, source] of sources) {
        if (!streams.has(key)) { source.node.disconnect(); sources.delete(key); }
      }
    }

    function draw() {
      paint.fillStyle = "#1a1a1a";
      paint.fillRect(0, 0, WIDTH, HEIGHT);
      const tiles = [...videos.values()].filter((v) => v.readyState >= 2 && v.videoWidth);
      const columns = Math.ceil(Math.sqrt(Math.max(tiles.length, 1)));
      const rows = Math.ceil(Math.max(tiles.length, 1) / columns);
      const w = WIDTH / columns;
      const h = HEIGHT / rows;
      tiles.forEach((video, i) => {
        const scale = Math.min(w / video.videoWidth, h / video.videoHeight);
        const dw = video.videoWidth * scale;
        const dh = video.videoHeight * scale;
        paint.drawImage(video, (i % columns) * w + (w - dw) / 2,
          Math.floor(i / columns) * h + (h - dh) / 2, dw, dh);
      });
    }

    sync();
    draw();
    const timer = setInterval(draw, 1000 / FPS);
    const picture = canvas.captureStream(FPS);
    const mixed = new MediaStream([...picture.getVideoTracks(), ...mix.stream.getAudioTracks()]);
    return {
      mixed,
      sync,
      resume: () => audio.resume(),
      close() {
        clearInterval(timer);
        for (const track of mixed.getTracks()) track.stop();
        for (const video of videos.values()) video.srcObject = null;
        for (const source of sources.values()) source.node.disconnect();
        holder.remove();
        audio.close().catch(() => {});
      },
    };
  }

  // ── talking to the server ───────────────────────────────────────────────────────────

  async function post(url, fields) {
    try {
      const response = await fetch(url, {
        method: "POST", body: new URLSearchParams(fields || {}), credentials: "same-origin",
        headers: { "X-CSRFToken": config.csrf },
      });
      let data = {};
      try { data = await response.json(); } catch { /* no body */ }
      return { ok: response.ok, status: response.status, data };
    } catch {
      return { ok: false, status: 0, data: { message: T.network } };
    }
  }

  function showError(text) {
    if (!errorBox) return;
    errorBox.textContent = text || "";
    errorBox.hidden = !text;
  }

  function personRow(person) {
    const item = document.createElement("li");
    item.dataset.peer = person.peer;
    const name = document.createElement("span");
    name.textContent = person.label + (person.in_call ? "" : `（${T.waiting}）`);
    const answer = document.createElement("span");
    answer.className = `recording__answer-mark recording__answer-mark--${person.answer === true ? "yes" : person.answer === false ? "no" : "none"}`;
    answer.textContent = (person.answer === true ? T.yes : person.answer === false ? T.no : T.none)
      + (person.method === "verbal" ? `（${T.verbal}）` : "");
    item.append(name, answer);
    if (person.verbal) {
      for (const [agree, text] of [["yes", T.verbal_yes], ["no", T.verbal_no]]) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button button--secondary button--small";
        button.dataset.verbal = agree;
        button.dataset.peer = person.peer;
        button.textContent = text;
        const hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = `（${fmt(T.for_name, { name: person.label })}）`;
        button.append(hidden);
        item.append(button);
      }
    }
    return item;
  }

  function render() {
    if (!state) return;
    if (live) live.hidden = !state.active;
    if (startButton) startButton.hidden = state.active || !state.allowed;
    if (stopButton) stopButton.hidden = !state.active;
    if (people && state.people) {
      people.replaceChildren(...state.people.map(personRow));
    }
  }

  async function refresh() {
    try {
      const response = await fetch(config.state, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) return response.status;
      state = await response.json();
    } catch {
      return 0;
    }
    if (recording && !recording.closed && !state.active) halt(recording, T.stopped_by_server);
    render();
    return 200;
  }

  // ── the recorder ────────────────────────────────────────────────────────────────────

  function upload(current, blob) {
    const index = current.index++;
    current.chain = current.chain.then(async () => {
      if (current.closed) return;
      for (let attempt = 0; attempt < 3; attempt += 1) {
        let response;
        try {
          response = await fetch(`${current.url}?index=${index}`, {
            method: "POST", body: blob, credentials: "same-origin",
            headers: { "X-CSRFToken": config.csrf, "Content-Type": "application/octet-stream" },
          });
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
          continue;
        }
        if (response.ok) return;
        // 409: the server stopped the recording (someone without consent came in, the
        // call ended...): nothing more is stored.
        halt(current, response.status === 409 ? T.stopped_by_server : T.failed);
        return;
      }
      halt(current, T.failed);
      post(config.stop);
    });
  }

  function halt(current, message) {
    if (current.closed) return;
    current.closed = true;
    if (recording === current) recording = null;
    if (current.recorder.state !== "inactive") current.recorder.stop();
    current.composer.close();
    if (composer === current.composer) composer = null;
    if (message) showError(message);
    refresh();
  }

  async function start() {
    showError("");
    if (!window.MediaRecorder || !window.AudioContext) { showError(T.unsupported); return; }
    startButton.disabled = true;
    // The audio mix is made and resumed while the click's user activation lasts: made after
    // the server's answer (a slow one), Chromium's autoplay policy could leave it suspended,
    // and a recorder with a silent, suspended track hands over no data at all.
    const made = makeComposer();
    made.resume();
    const answer = await post(config.start);
    startButton.disabled = false;
    if (!answer.ok) { made.close(); showError(answer.data.message || T.network); refresh(); return; }
    state = answer.data;
    render();
    composer = made;
    composer.sync();
    composer.resume();
    const type = ["video/webm;codecs=vp8,opus", "video/webm"].find((t) => MediaRecorder.isTypeSupported(t));
    const recorder = new MediaRecorder(composer.mixed, type ? { mimeType: type } : undefined);
    const current = { recorder, composer, url: answer.data.piece, index: 0, chain: Promise.resolve(), closed: false };
    recording = current;
    recorder.addEventListener("dataavailable", (event) => {
      if (event.data && event.data.size) upload(current, event.data);
    });
    recorder.addEventListener("error", () => { halt(current, T.failed); post(config.stop); });
    recorder.start(PIECE_MS);
    if (live) live.hidden = false;
    showError("");
    announce(T.started);
  }

  async function stopByHost() {
    const current = recording;
    recording = null;
    if (current && !current.closed) {
      // The last piece (dataavailable) comes before "stop"; it is uploaded before the
      // server is told to stop (after that, pieces are refused).
      await new Promise((resolve) => {
        current.recorder.addEventListener("stop", resolve, { once: true });
        current.recorder.stop();
      });
      await current.chain;
      current.closed = true;
      current.composer.close();
      if (composer === current.composer) composer = null;
    }
    const answer = await post(config.stop);
    if (answer.ok) { state = answer.data; render(); announce(T.stopped); }
    else if (!ended) showError(answer.data.message || T.network);
  }

  function announce(text) {
    const status = $("recording-host-status");
    if (status) status.textContent = text;
  }

  // ── the page ────────────────────────────────────────────────────────────────────────

  if (answerForm) {
    answerForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const chosen = answerForm.querySelector("input[name='agree']:checked");
      const agree = chosen ? chosen.value : "no";
      const answer = await post(config.consent, { agree });
      if (!answer.ok) { answerStatus.textContent = answer.data.message || T.network; return; }
      state = answer.data;
      answerStatus.textContent = agree === "yes" ? T.answered_yes : T.answered_no;
      render();
    });
  }
  if (startButton) startButton.addEventListener("click", start);
  if (stopButton) stopButton.addEventListener("click", stopByHost);
  if (people) {
    people.addEventListener("click", async (event) => {
      const button = event.target.closest("button[data-verbal]");
      if (!button) return;
      const answer = await post(config.verbal, { peer: button.dataset.peer, agree: button.dataset.verbal });
      if (!answer.ok) { showError(answer.data.message || T.network); return; }
      state = answer.data;
      render();
    });
  }

  // A call script that also passes on its signaling messages (madoguchi:message {message})
  // lets the badge follow 「録画中」 at once; the state is polled as well either way.
  document.addEventListener("madoguchi:message", (event) => {
    const message = event.detail && event.detail.message;
    if (message && (message.type === "recording" || "recording" in message)) refresh();
  });

  // Read by the browser tests.
  window.madoguchiRecording = {
    get state() { return state; },
    get recording() { return recording; },
    get streams() { return streams; },
  };

  async function poll() {
    const status = await refresh();
    if (status === 403 || status === 404 || status === 410) return; // no longer in the room
    setTimeout(poll, config.pollSeconds * 1000);
  }
  poll();
})();
