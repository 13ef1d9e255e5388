"""Refusals with a Japanese message for the page or the signaling error reply."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class MeetingRefused(Exception):
    """Someone may not enter (or act in) a room. ``status`` is the HTTP status a page uses."""

    def __init__(self, code: str, message, status: int = 403):
        super().__init__(code)
        self.code = code
        self.message = str(message)
        self.status = status


LINK_UNKNOWN = _("このリンクは使えません。リンクが正しいか、担当の職員にご確認ください。")
LINK_EXPIRED = _("このリンクの有効期限が切れています。担当の職員にご連絡ください。")
LINK_REVOKED = _("このリンクは取り消されました。担当の職員にご連絡ください。")
LINK_IN_USE = _("このリンクは別の端末で使われています。同じリンクで同時に入れるのは1台だけです。")
BOOKING_CANCELLED = _("この相談の予約は取り消されました。")
ROOM_ENDED = _("この相談は終了しました。")
NOT_PARTICIPANT = _("この相談の参加者ではないため、入室できません。")
