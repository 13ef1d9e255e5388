"""The counter's refusals: one Japanese message each, nothing saved when raised."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class CounterError(ValueError):
    def __init__(self, message, code: str = "invalid"):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code


NOBODY_WAITING = _("お待ちの方はいません。")
TAKEN = _("この番号札は、ほかの窓口がすでに呼び出しました。")
NOT_TODAY = _("前日以前の番号札です。きょうの番号札だけ呼び出せます。")
NOT_CALLED_HERE = _("この番号札は、この窓口で呼び出し中ではありません。")
SERVICE_CLOSED = _("このサービスは、いま受付していません。")
OFFICE_CLOSED = _("この窓口は、いま受付していません。")
OTHER_OFFICE = _("この窓口のサービスではありません。")
COUNTER_CLOSED = _("この窓口は閉じています。")
TRANSFER_NOWHERE = _("回す先のサービスか窓口を選んでください。")
TRANSFER_NOT_SERVED = _("選んだ窓口は、そのサービスを担当していません。")
KIOSK_UNKNOWN = _("この端末は使えません。職員にお知らせください。")
APPOINTMENT_UNKNOWN = _("この予約は見つかりません。職員にお知らせください。")
APPOINTMENT_OTHER_DAY = _("この予約は%(day)sのご予約です。受付できるのは、きょうのご予約だけです。")
APPOINTMENT_NO_SERVICE = _(
    "この窓口には、予約の方の受付をするサービスがありません。職員にお知らせください。")
APPOINTMENT_CHECKED_IN = _("このご予約は、すでに受付済みです（番号札 %(label)s）。")


class CheckedIn(CounterError):
    """A second check-in of the same appointment: the first one's ticket is kept."""

    def __init__(self, ticket):
        super().__init__(APPOINTMENT_CHECKED_IN % {"label": ticket.label}, "checked_in")
        self.ticket = ticket
