"""A local stand-in for the LINE Messaging API (like aiosmtpd for SMTP), for tests and the
bench. It speaks the HTTP contract the SDK uses:

- ``POST /v2/bot/message/push`` (``to``, ``messages``), ``/broadcast`` (``messages``),
  ``/narrowcast`` (``messages``, ``recipient``): a Bearer token is required (401), the
  body is checked (1–5 messages: text of at most 5,000 characters, or an image with
  https ``originalContentUrl`` and ``previewImageUrl`` of at most 2,000: 400); push and
  broadcast answer 200 ``{"sentMessages": [...]}``, narrowcast 202, each with
  ``X-Line-Request-Id``;
- ``X-Line-Retry-Key``: a UUID (400 otherwise); a key already accepted is answered with
  409 and ``X-Line-Accepted-Request-Id`` and sends nothing, as LINE does;
- faults: ``failure_rate`` of the requests answer 500 without sending; ``delay_rate`` of
  them wait ``delay_seconds`` after accepting, before answering (a client that times out
  tries again and meets the 409).

``accepted`` counts acceptances per retry key: every key exactly once means every message
was delivered once.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import random
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATHS = {"/v2/bot/message/push": "push", "/v2/bot/message/broadcast": "broadcast",
         "/v2/bot/message/narrowcast": "narrowcast"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:
        """A client that gave up waiting (timeout) resets its connection: not an error."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LineStandIn:
    def __init__(self, *, token: str = "test-token", failure_rate: float = 0.0,
                 delay_rate: float = 0.0, delay_seconds: float = 0.0, seed: int = 1):
        self.token = token
        self.failure_rate = failure_rate
        self.delay_rate = delay_rate
        self.delay_seconds = delay_seconds
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.accepted: Counter[str] = Counter()  # retry key -> acceptances
        self.request_ids: dict[str, str] = {}
        self.sent: list[dict] = []  # what was "sent": kind, body, retry key
        self.requests = 0
        self.failed = 0
        self.conflicts = 0
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LineStandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                """``/_standin/stats``: the counts, for a bench in another process."""
                if self.path != "/_standin/stats":
                    self.send_error(404)
                    return
                data = json.dumps(standin.stats()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, headers, body = standin.handle(self.path, dict(self.headers), raw)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)  # unless the client gave up waiting

        self.server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stats(self) -> dict:
        with self.lock:
            return {"accepted": dict(self.accepted), "sends": len(self.sent),
                    "requests": self.requests, "failed": self.failed,
                    "conflicts": self.conflicts}

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def handle(self, path: str, headers: dict, raw: bytes) -> tuple[int, dict, dict]:
        headers = {k.lower(): v for k, v in headers.items()}
        with self.lock:
            self.requests += 1
        kind = PATHS.get(path)
        if kind is None:
            return 404, {}, {"message": "Not found"}
        if headers.get("authorization") != f"Bearer {self.token}":
            return 401, {}, {"message": "Authentication failed"}
        try:
            body = json.loads(raw)
        except ValueError:
            return 400, {}, {"message": "The request body has 1 error(s)"}
        problem = self._invalid(kind, body)
        if problem:
            return 400, {}, {"message": "The request body has 1 error(s)",
                             "details": [{"message": problem}]}
        key = headers.get("x-line-retry-key")
        if key is not None:
            try:
                uuid.UUID(key)
            except ValueError:
                return 400, {}, {"message": "The retry key is invalid"}
        with self.lock:
            fail = self.random.random() < self.failure_rate
            delay = self.random.random() < self.delay_rate
            if fail:
                self.failed += 1
                return 500, {}, {"message": "An error occurred in the server"}
            if key is not None and key in self.request_ids:
                self.conflicts += 1
                return 409, {"X-Line-Accepted-Request-Id": self.request_ids[key],
                             "X-Line-Request-Id": str(uuid.uuid4())}, {
                    "message": "The retry key is already accepted", "sentMessages": []}
            request_id = str(uuid.uuid4())
            if key is not None:
                self.request_ids[key] = request_id
                self.accepted[key] += 1
            self.sent.append({"kind": kind, "body": body, "retry_key": key})
        if delay:
            time.sleep(self.delay_seconds)
        status = 202 if kind == "narrowcast" else 200
        answer = {} if kind == "narrowcast" else {
            "sentMessages": [{"id": str(random.randrange(10**17)), "quoteToken": "q"}
                             for _ in body["messages"]]}
        return status, {"X-Line-Request-Id": request_id}, answer

    @staticmethod
    def _invalid(kind: str, body: dict) -> str:
        messages = body.get("messages")
        if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
            return "messages: between 1 and 5"
        for message in messages:
            if message.get("type") == "image":
                for name in ("originalContentUrl", "previewImageUrl"):
                    url = message.get(name) or ""
                    if not url.startswith("https://") or len(url) > 2000:
                        return f"{name}: an https URL of at most 2000 characters"
                continue
            if message.get("type") != "text" or not 1 <= len(message.get("text", "")) <= 5000:
                return "text: between 1 and 5000 characters"
        if kind == "push" and not body.get("to"):
            return "to: required"
        if kind == "narrowcast" and (body.get("recipient") or {}).get("type") != "audience":
            return "recipient: an audience"
        return ""


def _serve(options: dict, ready) -> None:
    standin = LineStandIn(**options).start()
    ready.put(standin.url)
    threading.Event().wait()


def start_process(**options):
    """The stand-in in a process of its own (the bench: no GIL shared with the worker);
    returns (process, url). Counts from ``GET <url>/_standin/stats``."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    ready = context.Queue()
    process = context.Process(target=_serve, args=(options, ready), daemon=True)
    process.start()
    return process, ready.get(timeout=30)


# ── the other direction: webhook calls as LINE signs them ──────────────────────────────

SECRET = "line-channel-secret"  # the channel secret of the ``line_api`` fixture
USER = "U1234567890abcdef1234567890abcdef"


def signed(body: bytes, secret: str = SECRET) -> str:
    """``X-Line-Signature``: HMAC-SHA256 of the body with the channel secret, base64."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def webhook_body(text: str, event_id: str = "01HEVENT0000000000000000001",
                 user: str = USER) -> bytes:
    """A webhook call carrying one text message from ``user``."""
    return json.dumps({"destination": "Uward", "events": [{
        "type": "message", "mode": "active", "timestamp": 1765000000000,
        "webhookEventId": event_id, "deliveryContext": {"isRedelivery": False},
        "source": {"type": "user", "userId": user},
        "replyToken": "r", "message": {"type": "text", "id": "5001", "quoteToken": "q",
                                       "text": text}}]}, ensure_ascii=False).encode()
