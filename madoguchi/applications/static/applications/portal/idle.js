// Warns a few minutes before the portal login times out (PORTAL_SESSION_IDLE_SECONDS,
// counted from this page's request) and suggests 「一時保存」. The server keeps what is
// posted even after the timeout, so this is only a reminder.
(function () {
  "use strict";

  const box = document.getElementById("idle-warning");
  if (!box) {
    return;
  }
  const idle = Number(box.dataset.idleSeconds) * 1000;
  const warn = Number(box.dataset.warnSeconds) * 1000;
  if (!(idle > 0) || !(warn >= 0)) {
    return;
  }
  window.setTimeout(function () {
    box.hidden = false;
  }, warn);
  window.setTimeout(function () {
    box.querySelector('[data-idle="soon"]').hidden = true;
    box.querySelector('[data-idle="over"]').hidden = false;
  }, idle);
})();
