// The call display (a TV): the office's called numbers, live over a WebSocket. Every
// message carries the whole state, so a display that reconnects shows the current list.
// A call plays a chime (always) and is spoken in Japanese where the browser can.
const config = JSON.parse(document.getElementById("display-config").textContent);
const calls = document.getElementById("display-calls");
const waiting = document.getElementById("display-waiting");
const connection = document.getElementById("display-connection");
const soundButton = document.getElementById("display-sound");
let audio = null;
let retry = 0;
let socket = null;
let timer = null;

function audioContext() {
  if (!audio) {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (Context) audio = new Context();
  }
  return audio;
}

function chime() {
  const context = audioContext();
  if (!context) return;
  if (context.state === "suspended") context.resume();
  [659.25, 523.25].forEach((frequency, index) => {
    const start = context.currentTime + index * 0.45;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.4, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.9);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + 1);
  });
}

function spoken(label) {
  // A007 → "A 7": read as a letter and a number.
  return `${label.slice(0, label.search(/\d/))} ${parseInt(label.slice(label.search(/\d/)), 10)}`;
}

function speak(call) {
  if (!("speechSynthesis" in window)) return;
  const text = config.speech.replace("%(number)s", spoken(call.label))
    .replace("%(counter)s", String(call.counter));
  const utterance = new SpeechSynthesisUtterance(text);
  // Japanese on a Japanese page (the TV's default); the page's language otherwise.
  const language = document.documentElement.lang === "en" ? "en" : "ja";
  utterance.lang = language === "en" ? "en-US" : "ja-JP";
  const voice = window.speechSynthesis.getVoices().find((v) => v.lang.startsWith(language));
  if (voice) utterance.voice = voice;
  window.setTimeout(() => window.speechSynthesis.speak(utterance), 1000);
}

function render(state) {
  calls.replaceChildren(...state.calls.map((call) => {
    const row = document.createElement("tr");
    if (call.current) row.className = "is-current";
    const number = document.createElement("td");
    number.textContent = call.label;
    const counter = document.createElement("td");
    counter.textContent = call.counter
      ? config.counterLabel.replace("%(counter)s", String(call.counter)) : "";
    row.append(number, counter);
    return row;
  }));
  waiting.textContent = String(state.waiting);
  document.body.dataset.calls = String(state.calls.length);
}

function connect() {
  window.clearTimeout(timer);
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}${config.socket}`);
  let ping = null;
  socket.addEventListener("open", () => {
    retry = 0;
    connection.textContent = "";
    document.body.dataset.connected = "1";
    ping = window.setInterval(() => socket.send(JSON.stringify({ type: "ping" })), 25000);
  });
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.type !== "state") return;
    render(message.state);
    if (message.call) {
      chime();
      speak(message.call);
      document.body.dataset.lastCall = `${message.call.label}:${message.call.counter}`;
    }
  });
  socket.addEventListener("close", () => {
    window.clearInterval(ping);
    document.body.dataset.connected = "0";
    connection.textContent = "…";
    retry = Math.min(retry + 1, 6);
    timer = window.setTimeout(connect, 500 * 2 ** (retry - 1));
  });
}

// The network went away: drop the socket now (it may not notice for minutes) and come
// back as soon as the network does, with the whole current state.
window.addEventListener("offline", () => socket && socket.close());
window.addEventListener("online", () => {
  if (!socket || socket.readyState !== WebSocket.OPEN) connect();
});

soundButton.addEventListener("click", () => {
  chime();
  soundButton.hidden = true;
});
connect();
