"""Writes of district news (ADR 0044), one module per feature (ADR 0034), re-exported here:
``posts`` (posts and their approval), ``subscriptions`` (mail, double opt-in),
``audiences`` (the LINE audience of each district), ``delivery`` (the LINE outbox and
inbox); ``_common`` holds the refusal. Each in one transaction; mails and LINE messages
leave after commit."""

from madoguchi.news.services.audiences import (
    AUDIENCE_ID_MAX,
    audience_id_parse,
    line_audience_set,
)
from madoguchi.news.services.delivery import (
    inbox_receive,
    inbox_reply,
    outbox_enqueue,
    outbox_enqueue_many,
    outbox_retry,
)
from madoguchi.news.services.posts import (
    LINE_SUMMARY,
    PostInput,
    line_image_url,
    line_text,
    post_publish,
    post_return,
    post_save,
    post_submit,
    post_withdraw,
)
from madoguchi.news.services.subscriptions import (
    CONFIRM_RESEND,
    CONFIRM_SALT,
    confirm,
    confirm_token,
    subscribe,
    unsubscribe,
)

__all__ = [
    "AUDIENCE_ID_MAX", "CONFIRM_RESEND", "CONFIRM_SALT", "LINE_SUMMARY", "PostInput",
    "audience_id_parse", "confirm", "confirm_token", "inbox_receive", "inbox_reply",
    "line_audience_set", "line_image_url", "line_text", "outbox_enqueue",
    "outbox_enqueue_many", "outbox_retry", "post_publish", "post_return", "post_save",
    "post_submit", "post_withdraw", "subscribe", "unsubscribe",
]
