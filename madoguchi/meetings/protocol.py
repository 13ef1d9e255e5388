"""Validation of incoming signaling messages (docs/meetings-protocol.md).

``parse(text)`` returns a clean dict or raises ``ProtocolError`` with a code and a message in
the connection's language; the consumer replies with an ``error`` and carries on.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils.translation import gettext_lazy as _

MAX_MESSAGE_BYTES = 64 * 1024
MAX_SDP_CHARS = 60_000
MAX_CANDIDATE_CHARS = 2_000
MAX_CHAT_CHARS = 1_000
PEER = re.compile(r"^[0-9a-f]{16}$")

MESSAGES = {
    "too_large": _("メッセージが大きすぎます。"),
    "bad_json": _("メッセージの形式が正しくありません。"),
    "bad_type": _("この種類のメッセージは扱えません。"),
    "bad_field": _("メッセージの内容が正しくありません。"),
    "not_joined": _("まだ入室していません。"),
    "already_joined": _("すでに入室しています。"),
    "not_in_call": _("通話に参加してから送ってください。"),
    "unknown_peer": _("相手が見つかりません。すでに退室した可能性があります。"),
    "not_host": _("この操作は担当課の職員だけができます。"),
    "chat_empty": _("メッセージを入力してください。"),
    "server_error": _("処理できませんでした。もう一度お試しください。"),
}


class ProtocolError(Exception):
    def __init__(self, code: str, message: str | None = None):
        super().__init__(code)
        self.code = code
        # Worded when raised, in the connection's language (the consumer activates it).
        self.message = str(message or MESSAGES.get(code, MESSAGES["bad_field"]))


def _peer(data: dict, name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not PEER.match(value):
        raise ProtocolError("bad_field")
    return value


def _string(data: dict, name: str, limit: int, *, allow_empty: bool = False) -> str:
    value = data.get(name)
    if not isinstance(value, str) or len(value) > limit or (not value and not allow_empty):
        raise ProtocolError("bad_field")
    return value


def _candidate(data: dict) -> dict[str, Any] | None:
    value = data.get("candidate")
    if value is None:
        return None  # end of candidates
    if not isinstance(value, dict) or set(value) - {"candidate", "sdpMid", "sdpMLineIndex",
                                                    "usernameFragment"}:
        raise ProtocolError("bad_field")
    clean: dict[str, Any] = {"candidate": _string(value, "candidate", MAX_CANDIDATE_CHARS,
                                                  allow_empty=True)}
    mid = value.get("sdpMid")
    if mid is not None and (not isinstance(mid, str) or len(mid) > 64):
        raise ProtocolError("bad_field")
    index = value.get("sdpMLineIndex")
    if index is not None and (not isinstance(index, int) or isinstance(index, bool)
                              or not 0 <= index < 1000):
        raise ProtocolError("bad_field")
    fragment = value.get("usernameFragment")
    if fragment is not None and (not isinstance(fragment, str) or len(fragment) > 256):
        raise ProtocolError("bad_field")
    clean.update(sdpMid=mid, sdpMLineIndex=index, usernameFragment=fragment)
    return clean


def _no_fields(data: dict) -> dict:
    return {}


def _to_peer(data: dict) -> dict:
    return {"peer": _peer(data, "peer")}


def _sdp(data: dict) -> dict:
    return {"to": _peer(data, "to"), "sdp": _string(data, "sdp", MAX_SDP_CHARS)}


def _ice(data: dict) -> dict:
    return {"to": _peer(data, "to"), "candidate": _candidate(data)}


def _chat(data: dict) -> dict:
    text = _string(data, "text", MAX_CHAT_CHARS, allow_empty=True).strip()
    if not text:
        raise ProtocolError("chat_empty")
    return {"text": text}


FIELDS = {
    "join": _no_fields,
    "leave": _no_fields,
    "ping": _no_fields,
    "end": _no_fields,
    "admit": _to_peer,
    "refuse": _to_peer,
    "remove": _to_peer,
    "offer": _sdp,
    "answer": _sdp,
    "candidate": _ice,
    "chat": _chat,
}


def parse(text: str | None) -> dict[str, Any]:
    if text is None:
        raise ProtocolError("bad_json")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_MESSAGE_BYTES:
        raise ProtocolError("too_large")
    try:
        data = json.loads(text)
    except ValueError:
        raise ProtocolError("bad_json") from None
    if not isinstance(data, dict):
        raise ProtocolError("bad_json")
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in FIELDS:
        raise ProtocolError("bad_type")
    return {"type": kind, **FIELDS[kind](data)}
