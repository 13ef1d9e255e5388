"""The LINE Messaging API adapter (line-bot-sdk v3), behind one small interface.

``send(kind, target, text, retry_key)`` makes one request (push, broadcast or narrowcast)
with ``X-Line-Retry-Key`` and says what became of it: delivered (2xx, or 409 because LINE
already accepted that retry key: an earlier try whose answer was lost), to be retried (a
timeout, a lost connection, 429 or 5xx: the same key is used again, so LINE sends it at
most once) or failed for good (another 4xx). The host is ``NEWS_LINE_API_BASE``: the real
``https://api.line.me`` in production, the local stand-in in tests and the bench.

Incoming webhooks are checked with the SDK's ``WebhookParser`` (HMAC-SHA256 of the body
with the channel secret, ``X-Line-Signature``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import urllib3
from django.conf import settings
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    AudienceRecipient,
    BroadcastRequest,
    Configuration,
    ImageMessage,
    MessagingApi,
    NarrowcastRequest,
    PushMessageRequest,
    TextMessage,
)
from linebot.v3.messaging.exceptions import ApiException
from linebot.v3.webhooks import MessageEvent, TextMessageContent

logger = logging.getLogger("madoguchi.news")

DELIVERED, RETRY, FAILED = "delivered", "retry", "failed"
TEXT_LIMIT = 5000  # characters of one LINE text message


@dataclass(frozen=True)
class Outcome:
    result: str  # DELIVERED, RETRY or FAILED
    request_id: str = ""
    error: str = ""  # no personal data: a status code or an error class


def configured() -> bool:
    return bool(settings.NEWS_LINE_CHANNEL_TOKEN)


class Sender:
    """One API client for a batch of sends (thread-safe: urllib3's pool)."""

    def __init__(self, threads: int = 1):
        configuration = Configuration(host=settings.NEWS_LINE_API_BASE,
                                      access_token=settings.NEWS_LINE_CHANNEL_TOKEN)
        configuration.retries = 0  # our outbox retries, with the same retry key
        configuration.connection_pool_maxsize = max(threads, 1)
        self.client = ApiClient(configuration)
        self.api = MessagingApi(self.client)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(self, *, kind: str, target: str, text: str, retry_key: str,
             image_url: str = "") -> Outcome:
        """One request: the text, and (``image_url``, https) the image after it, which
        LINE fetches itself: the original and a preview (``?preview=1``, small)."""
        messages: list = [TextMessage(text=text[:TEXT_LIMIT])]
        if image_url:
            messages.append(ImageMessage(originalContentUrl=image_url,
                                         previewImageUrl=f"{image_url}?preview=1"))
        timeout = settings.NEWS_LINE_TIMEOUT_SECONDS
        try:
            if kind == "push":
                response = self.api.push_message_with_http_info(
                    PushMessageRequest(to=target, messages=messages),
                    x_line_retry_key=retry_key, _request_timeout=timeout)
            elif kind == "narrowcast":
                response = self.api.narrowcast_with_http_info(
                    NarrowcastRequest(messages=messages, recipient=AudienceRecipient(
                        audienceGroupId=int(target))),
                    x_line_retry_key=retry_key, _request_timeout=timeout)
            else:
                response = self.api.broadcast_with_http_info(
                    BroadcastRequest(messages=messages),
                    x_line_retry_key=retry_key, _request_timeout=timeout)
        except ApiException as error:
            headers = {k.lower(): v for k, v in (error.headers or {}).items()}
            if error.status == 409 and headers.get("x-line-accepted-request-id"):
                return Outcome(DELIVERED, headers["x-line-accepted-request-id"])
            if error.status == 429 or (error.status or 0) >= 500:
                return Outcome(RETRY, error=f"HTTP {error.status}")
            return Outcome(FAILED, error=f"HTTP {error.status}")
        except (urllib3.exceptions.HTTPError, OSError) as error:
            return Outcome(RETRY, error=type(error).__name__)
        headers = {k.lower(): v for k, v in (response.headers or {}).items()}
        return Outcome(DELIVERED, headers.get("x-line-request-id", ""))


@dataclass(frozen=True)
class IncomingText:
    event_id: str
    line_user: str
    text: str
    timestamp_ms: int


class BadSignature(Exception):  # noqa: N818
    """The webhook's X-Line-Signature does not match its body."""


def parse_webhook(body: str, signature: str) -> list[IncomingText]:
    """The text messages of a webhook call; raises BadSignature (nothing else is read)."""
    if not settings.NEWS_LINE_CHANNEL_SECRET or not signature:
        raise BadSignature
    parser = WebhookParser(settings.NEWS_LINE_CHANNEL_SECRET)
    try:
        events = parser.parse(body, signature)
    except InvalidSignatureError:
        raise BadSignature from None
    texts = []
    for event in events:
        if isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
            user = getattr(event.source, "user_id", None) or ""
            texts.append(IncomingText(event_id=event.webhook_event_id or event.message.id,
                                      line_user=user, text=event.message.text,
                                      timestamp_ms=event.timestamp))
    return texts
