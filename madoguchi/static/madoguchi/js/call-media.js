// The local half of a call (call.js): microphone, camera, a second camera (the booth's
// document camera) and a shared screen, sent to every peer without renegotiation. `Call`
// extends this class; the methods use the call's `peers`, `preview`, `hook` and `finished`.

export function emit(name, detail) {
  document.dispatchEvent(new CustomEvent(`madoguchi:${name}`, { detail }));
}

export const live = (transceiver) => !transceiver.stopped && transceiver.currentDirection !== "stopped";

export class CallMedia {
  async startMedia() {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: this.videoConstraints });
    } catch {
      stream = new MediaStream();
      this.hook("noMedia");
    }
    if (this.finished) { for (const track of stream.getTracks()) track.stop(); return; }
    this.camera = stream.getVideoTracks()[0] || null;
    this.watchCamera(this.camera);
    this.showLocal(stream);
  }

  get hasMedia() { return !!this.local && this.local.getTracks().length > 0; }

  showLocal(stream) {
    this.local = stream;
    this.preview.srcObject = stream;
    this.preview.play().catch(() => { /* autoplay starts it when the page is shown */ });
    emit("local-stream", { stream });
    this.hook("media");
  }

  track(kind) {
    if (!this.local) return null;
    return kind === "audio" ? this.local.getAudioTracks()[0] || null : this.screen || this.camera;
  }

  // Mute the microphone or turn the camera off (the camera's track; a shared screen stays).
  setEnabled(kind, on) {
    const tracks = kind === "audio" ? (this.local ? this.local.getAudioTracks() : []) : [this.camera];
    for (const track of tracks) if (track) track.enabled = on;
  }

  // Send `track` (or nothing) as video to every peer without renegotiation, and show it.
  async sendVideo(track) {
    const audio = this.local ? this.local.getAudioTracks() : [];
    this.showLocal(new MediaStream(track ? [...audio, track] : audio));
    const work = [];
    for (const peer of this.peers.values()) {
      for (const transceiver of peer.pc.getTransceivers()) {
        if (live(transceiver) && transceiver.receiver.track.kind === "video") {
          work.push(transceiver.sender.replaceTrack(track));
        }
      }
    }
    await Promise.allSettled(work);
  }

  async cameras() {
    if (!navigator.mediaDevices?.enumerateDevices) return [];
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices.filter((device) => device.kind === "videoinput" && device.deviceId);
  }

  cameraId() { return this.camera ? this.camera.getSettings().deviceId || null : null; }

  async openCamera(deviceId) {
    const constraints = { video: { deviceId: { exact: deviceId } } };
    try {
      return (await navigator.mediaDevices.getUserMedia(constraints)).getVideoTracks()[0];
    } catch (error) {
      if (!this.camera) throw error;
      this.camera.stop();  // some tablets open only one camera at a time
      return (await navigator.mediaDevices.getUserMedia(constraints)).getVideoTracks()[0];
    }
  }

  // Switch to another camera (e.g. the booth's document camera). Returns true when done; on
  // failure the previous camera is kept (or reopened) and the error is thrown.
  async useCamera(deviceId) {
    if (!this.local || this.finished) return false;
    const previous = this.camera;
    const previousId = this.cameraId();
    if (previous && previousId === deviceId && previous.readyState === "live") return true;
    let track;
    try {
      track = await this.openCamera(deviceId);
    } catch (error) {
      if (previous && previous.readyState === "ended" && previousId) {
        await this.replaceCamera(await this.openCamera(previousId).catch(() => null), previous);
      }
      throw error;
    }
    if (this.finished) { track.stop(); return false; }
    await this.replaceCamera(track, previous);
    return true;
  }

  async replaceCamera(track, previous) {
    if (track && previous) track.enabled = previous.enabled;
    this.camera = track;
    this.watchCamera(track);
    if (!this.screen) await this.sendVideo(track);
    else this.hook("media");
    if (previous && previous !== track) previous.stop();
  }

  // A camera unplugged (or taken by another app): fall back to another one, else none.
  watchCamera(track) {
    if (!track) return;
    track.addEventListener("ended", async () => {
      if (this.camera !== track || this.finished) return;
      const other = (await this.cameras())[0];
      if (other) {
        try { await this.useCamera(other.deviceId); return; } catch { /* none left */ }
      }
      if (this.camera === track) await this.replaceCamera(null, track);
    });
  }

  get canShareScreen() { return !!navigator.mediaDevices?.getDisplayMedia; }

  // Share a screen, window or tab (a PDF) instead of the camera; the browser's own
  // "stop sharing" ends the track and brings the camera back.
  async shareScreen() {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const track = stream.getVideoTracks()[0];
    for (const extra of stream.getAudioTracks()) extra.stop();
    if (!track) return;
    if (this.finished) { track.stop(); return; }
    if ("contentHint" in track) track.contentHint = "detail";  // keep small print sharp
    track.addEventListener("ended", () => {
      if (this.screen === track) this.stopSharing().then(() => this.hook("shareEnded"));
    });
    const before = this.screen;
    this.screen = track;
    await this.sendVideo(track);
    if (before) before.stop();
  }

  async stopSharing() {
    const track = this.screen;
    if (!track) return;
    this.screen = null;
    await this.sendVideo(this.camera);
    track.stop();
  }
}
