"""The request's own faults and the message for a slot that is not free (Japanese, with the
next free slot)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.core.dates import (
    closed_reason,
    day_text,
    is_open_day,
    load_exceptions,
    weekday_name,
)
from madoguchi.organisation.models import Section
from madoguchi.scheduling import kinds
from madoguchi.scheduling.availability import (
    grid_minutes,
    local,
    midnight,
    seconds_of,
)
from madoguchi.scheduling.errors import (
    SlotUnavailable,
    clock,
    duration_text,
    next_free_text_at,
    when,
)
from madoguchi.scheduling.models import (
    MAX_PARTICIPANTS,
)
from madoguchi.scheduling.selectors.slots import (
    Slot,
    SlotSpec,
    search,
)
from madoguchi.scheduling.services._common import (
    _rejected,
    display,
)


def _who(spec: SlotSpec, pool) -> tuple[str, ...]:
    """Who in ``pool`` is not free, as the names the message is made of (untranslated)."""
    if pool.role == "booth":
        if len(pool.members) == 1:
            return ("booth", pool.members[0].name, spec.centre.name)
        return ("booths", spec.centre.name)
    if pool.role == "staff" and len(pool.members) != 1:
        return ("section", spec.section.name)
    return ("person", display(pool.members[0]))


def _who_text(key: tuple[str, ...]) -> str:
    if key[0] == "booth":
        return _("%(booth)s（%(centre)s）") % {"booth": key[1], "centre": key[2]}
    if key[0] == "booths":
        return _("%(centre)sの相談ブース") % {"centre": key[1]}
    if key[0] == "section":
        return _("%(section)sの職員") % {"section": key[1]}
    return _("%(name)sさん") % {"name": key[1]}


def _unavailable(spec: SlotSpec, pools, start: dt.datetime, *, code: str,
                 who: str | None = None, calendars=None,
                 next_free: Slot | None = None) -> SlotUnavailable:
    """``next_free``: found by the check already (else searched here, with ``calendars``
    when the check loaded them)."""
    if next_free is None:
        next_free = next(iter(search(spec, start_from=max(start, timezone.now()), limit=1,
                                     calendars=calendars)), None)
    names = None if code == "taken" or who else tuple(_who(spec, pool) for pool in pools)
    message = _refusal(code, who, names, start, next_free.start if next_free else None,
                       get_language())
    return SlotUnavailable(message, code=code, next_free=next_free)


@lru_cache(maxsize=4096)
def _refusal(code: str, who: str | None, names: tuple[tuple[str, ...], ...] | None,
             start: dt.datetime, next_start: dt.datetime | None, language: str | None) -> str:
    """The refusal's text: a function of its arguments only (the names as stored, the
    times, the language), so most refused attempts under contention, which name the same
    few times and people, find it made already."""
    with override(language):
        if code == "taken":
            reason = _("%(when)sはたった今ほかの予約で埋まりました。") % {"when": when(start)}
        else:
            # Translators: separator between the names of participants who are not free.
            names_text = who or _("、").join(_who_text(key) for key in names or ())
            reason = _("%(who)sは%(when)sに空いていません。") % {"who": names_text,
                                                              "when": when(start)}
        # Translators: the reason a time is not free, then the next free slot (two sentences).
        return _("%(reason)s%(next_free)s") % {"reason": reason,
                                               "next_free": next_free_text_at(next_start)}


def _validate(spec: SlotSpec, *, start: dt.datetime, participants: int,
              now: dt.datetime, exceptions: dict | None = None) -> None:
    """The request's own faults, in the order a user would fix them. ``exceptions``: the
    closed days loaded for the start's day (and more), if the caller has them."""
    if participants > MAX_PARTICIPANTS:
        raise _rejected(_("参加者は%(max)d人までです（%(count)d人が指定されています）。")
                        % {"max": MAX_PARTICIPANTS, "count": participants}, "too_many")
    if timezone.is_naive(start):
        raise _rejected(_("日時にタイムゾーンがありません。"), "naive")
    if start < now:
        raise _rejected(_("過去の日時（%(when)s）は予約できません。") % {"when": when(start)},
                        "past")
    schedule, centre = spec.schedule, spec.centre
    start_local = local(start)
    day = start_local.date()
    if exceptions is None:
        exceptions = load_exceptions(day, day)
    reason = closed_reason(day, exceptions=exceptions)
    if reason is None and centre is not None and not is_open_day(
            day, weekdays=centre.weekdays, exceptions=exceptions):
        reason = weekday_name(day)
    if reason:
        raise _rejected(_("%(day)sは休業日（%(reason)s）のため予約できません。")
                        % {"day": day_text(day, weekday=True), "reason": reason}, "closed")
    held_until = start_local + dt.timedelta(
        minutes=schedule.duration_minutes + schedule.buffer_minutes)
    if centre is not None and (
            seconds_of(start_local.time()) < seconds_of(centre.opens_at)
            or held_until.date() != day
            or seconds_of(held_until.time()) > seconds_of(centre.closes_at)):
        raise _rejected(_("%(when)sは受付時間外です。%(centre)sの受付時間は%(opens)s〜%(closes)s"
                          "です（相談%(minutes)d分）。")
                        % {"when": when(start), "centre": centre.name,
                           "opens": clock(centre.opens_at), "closes": clock(centre.closes_at),
                           "minutes": schedule.duration_minutes}, "hours")
    if start < now + dt.timedelta(minutes=schedule.min_notice_minutes):
        raise _rejected(_("予約の締切を過ぎています。"
                          "%(section)sの予約は開始の%(notice)s前までです。")
                        % {"section": spec.section.name,
                           "notice": duration_text(schedule.min_notice_minutes)}, "notice")
    step = grid_minutes(schedule.duration_minutes) * 60
    if (start_local - midnight(day)).total_seconds() % step:
        raise _rejected(_("開始時刻は%(step)d分単位で指定してください。") % {"step": step // 60},
                        "grid")


def _section_needed(section: Section | None, kind_codes: Iterable[str]) -> None:
    """Kinds that need the responsible section (a consultation's booth and people: every
    booking made here holds a person) refuse a booking without one."""
    if section is None and any(kinds.get(code).needs_section
                               for code in (*kind_codes, "person")):
        raise _rejected(_("この予約には担当の課・機関の指定が必要です。"), "section")


def _kind_rules(spec: SlotSpec, by: User) -> None:
    """The registered kinds' own rule for every resource named for the booking."""
    for pool in spec.pools:
        kind = kinds.get(pool.kind)
        if len(pool.members) == 1 and not kind.may_book(by, pool.members[0]):
            raise _rejected(_("%(name)sは予約できません。")
                            % {"name": kind.describe(pool.members[0])}, "resource")
