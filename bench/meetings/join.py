"""(a) Join → connected: two headless Chromium pages in one room (see the package)."""

from __future__ import annotations

import time

from bench.meetings._common import stats

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--use-fake-device-for-media-stream",
                 "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection"]
JOINS = 10
JOIN_TIMEOUT_MS = 20_000
MAX_JOIN_ATTEMPTS = 2 * JOINS + 1  # a timed-out join is retried, up to this many in all

PAGE_PROBE = """(() => {
  const now = () => performance.timeOrigin + performance.now();
  const bench = window.__bench = { join: null, connected: [] };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    try {
      if (typeof data === "string" && JSON.parse(data).type === "join") bench.join = now();
    } catch (e) { /* not JSON: not ours */ }
    return send.call(this, data);
  };
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("connectionstatechange", () => {
        if (this.connectionState === "connected") bench.connected.push(now());
      });
    }
  };
})();"""


def join_to_connected(port: int, world: dict) -> dict:
    from madoguchi.site.checks_tools import program

    chromium = program("chromium")
    if chromium is None:
        return {"skipped": "chromium is not installed (apt-get install chromium)"}
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "the playwright package is not installed"}
    base = f"http://127.0.0.1:{port}"
    room_url = f"{base}/meet/{world['call_room']}/"
    first_session, second_session = world["sessions"]
    frame_ms: list[float] = []
    open_ms: list[float] = []
    failures: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            def context(session: str):
                ctx = browser.new_context(locale="ja-JP",
                                          viewport={"width": 1280, "height": 900})
                ctx.set_default_timeout(JOIN_TIMEOUT_MS)
                ctx.add_cookies([{"name": "sessionid", "value": session, "url": base}])
                ctx.add_init_script(PAGE_PROBE)
                return ctx

            def open_first():
                ctx = context(first_session)
                page = ctx.new_page()
                page.goto(room_url)
                page.wait_for_function("() => window.madoguchiMeeting && "
                                       "window.madoguchiMeeting.ws && "
                                       "window.madoguchiMeeting.ws.readyState === 1")
                page.wait_for_timeout(500)
                return ctx, page

            def measure(first) -> tuple[float, float]:
                """One join of the second page: (join frame → both connected, page
                opened → both connected) in ms. Raises on a timeout."""
                seen = first.evaluate("() => window.__bench.connected.length")
                ctx = context(second_session)
                try:
                    page = ctx.new_page()
                    opened = time.time() * 1000
                    page.goto(room_url)
                    page.wait_for_function("() => window.__bench.connected.length >= 1",
                                           timeout=JOIN_TIMEOUT_MS)
                    first.wait_for_function("(n) => window.__bench.connected.length > n",
                                            arg=seen, timeout=JOIN_TIMEOUT_MS)
                    mine = page.evaluate("() => window.__bench")
                    theirs = first.evaluate("() => window.__bench.connected")[seen:]
                    both = max(mine["connected"][0], theirs[0])
                finally:
                    ctx.close()
                # The first page sees the second leave before the next join.
                first.wait_for_function(
                    "() => window.madoguchiMeeting.peers.size === 0", timeout=JOIN_TIMEOUT_MS)
                return both - mine["join"], both - opened

            first_ctx, first = open_first()
            warmed = False
            for _attempt in range(MAX_JOIN_ATTEMPTS):
                if len(frame_ms) >= JOINS:
                    break
                try:
                    frame, opened_ms = measure(first)
                except PlaywrightError as error:
                    # A measurement that timed out (a loaded machine) is counted and
                    # retried from a fresh first page, so one bad join spoils nothing.
                    failures.append(f"{type(error).__name__}: {str(error).splitlines()[0][:200]}")
                    first_ctx.close()
                    first_ctx, first = open_first()
                    continue
                if warmed:  # the first join warms Chromium and the server up
                    frame_ms.append(frame)
                    open_ms.append(opened_ms)
                warmed = True
            first_ctx.close()
        finally:
            browser.close()
    if not frame_ms:
        return {"skipped": f"no join connected in {MAX_JOIN_ATTEMPTS} attempts",
                "failures": len(failures), "failure_reasons": failures[:5]}
    return {"joins": len(frame_ms), "failures": len(failures),
            "failure_reasons": failures[:5],
            "browser": "Chromium (headless, fake media), 2 pages",
            "who": "two staff of the booking's section (hosts: no lobby)",
            "join_frame": stats(frame_ms), "page_open": stats(open_ms)}
