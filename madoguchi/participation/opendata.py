"""イベント一覧 in the ward's open data: the sessions of published events, from today on,
registered with the assessment's open-data registry (``AppConfig.ready``). The column list
is the standard's (``assessment.opendata.EVENT_COLUMNS``, its source noted there); a column
the event data has no answer for stays empty (イベント名_カナ, イベント名_英語, 料金(詳細),
主催者, 方書, 緯度, 経度, アクセス方法, 駐車場情報): nothing is guessed."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madoguchi.assessment import opendata
from madoguchi.participation.models import Event, Mode, Occurrence, Repeat
from madoguchi.participation.selectors import Filters, public_occurrences

CODE = "event"
# The file is Japanese whatever the language of the request or worker that publishes it.
MODES = {Mode.FIRST_COME: "先着順", Mode.LOTTERY: "抽選"}


def _site() -> str:
    """The public site's origin, from the address the mails use (no request here)."""
    parts = urlsplit(settings.PARTICIPATION_CANCEL_BASE)
    return f"{parts.scheme}://{parts.netloc}"


def _notes(event: Event) -> str:
    notes = [f"対象: {event.target}"] if event.target else []
    notes += [label for flag, label in (
        (event.sign_language, "手話通訳あり"), (event.wheelchair, "車いすで参加できます"),
        (event.childcare, "保育あり"), (event.hearing_loop, "ヒアリングループあり"),
        (event.is_online, "オンラインでも参加できます")) if flag]
    return "；".join(notes)


def _when_note(event: Event, occurrence: Occurrence) -> str:
    notes = []
    if event.repeat != Repeat.NONE and event.repeat_count > 1:
        notes.append(f"全{event.repeat_count}回の{occurrence.number}回目")
    if occurrence.state == Occurrence.State.MOVED:
        notes.append(f"{occurrence.planned.isoformat()}から振替"
                     + (f"（{occurrence.reason}）" if occurrence.reason else ""))
    return "；".join(notes)


def rows(*, today: dt.date | None = None) -> list[dict[str, str]]:
    """One row per session of a published event from ``today`` on (a session skipped for
    a closed day is left out; a moved one is listed on its new date and says so)."""
    today = today or timezone.localdate()
    found = (public_occurrences(Filters(start=today))
             .exclude(state=Occurrence.State.SKIPPED)
             .select_related("event__centre", "event__room"))
    site = _site()
    out = []
    for occurrence in found:
        event = occurrence.event
        centre = event.centre
        start = timezone.localtime(occurrence.start)
        end = timezone.localtime(occurrence.end)
        deadline = timezone.localtime(event.registration_deadline)
        out.append({
            **opendata.publisher(),
            "NO": f"{event.public_id}-{occurrence.number}",
            "イベント名": event.title,
            "開始日": start.date().isoformat(), "終了日": end.date().isoformat(),
            "開始時間": start.strftime("%H:%M"), "終了時間": end.strftime("%H:%M"),
            "開始日時特記事項": _when_note(event, occurrence),
            "説明": event.description,
            "料金(基本)": str(event.fee),
            "連絡先名称": centre.name if centre else "",
            "連絡先電話番号": centre.phone if centre else "",
            "場所名称": event.place_name or (centre.name if centre else "")
            or ("オンライン" if event.is_online else ""),
            "住所": opendata.full_address(centre.address) if centre else "",
            "定員": str(event.capacity),
            "参加申込終了日": deadline.date().isoformat(),
            "参加申込終了時間": deadline.strftime("%H:%M"),
            "参加申込方法": f"{MODES.get(event.mode, '')}（イベントのページから申し込み）",
            "URL": site + reverse("events:event", kwargs={"event": event.public_id}),
            "備考": _notes(event),
        })
    return out


def register() -> None:
    opendata.register_dataset(
        CODE, opendata.EVENT_COLUMNS, rows,
        title=_("イベント一覧"), title_en="Events",
        description=_("まちづくりセンターなどで開く講座・行事の今日以降の日程（公開中のもの）。"),
        description_en="Dates from today on of the published courses and gatherings at the "
                       "district centres and elsewhere.",
        source=opendata.COLUMNS_SOURCE.format(dataset="06_イベント一覧"))
