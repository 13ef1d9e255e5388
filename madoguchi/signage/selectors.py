"""Reads of signage: which items a screen plays and when (the schedule), the screens'
status, the proof-of-play log and the active emergency messages (ADR 0043).

``playable`` is the one rule of "may this item be on screen at this moment" (validity,
weekday, daypart in Tokyo time); the player repeats it in JavaScript against its own clock
from the same data (``schedule``), so that an item that expires while the player is
offline still leaves the screen.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can, has_role_for
from madoguchi.core import opendays
from madoguchi.counter import selectors as counter
from madoguchi.participation import selectors as participation
from madoguchi.signage.models import (
    DAYPARTS,
    MEDIA_KINDS,
    Emergency,
    Item,
    Kind,
    Play,
    Screen,
    Status,
)

if TYPE_CHECKING:
    from madoguchi.accounts.models import User

LOOKAHEAD = dt.timedelta(hours=24)  # items starting within a day are cached ahead
ONLINE_WITHIN = dt.timedelta(seconds=90)  # three missed heartbeats: offline
EVENTS_SHOWN = 4
PLAYS_SHOWN = 200
DAYPART_TIMES = {code: (start, end) for code, _label, start, end in DAYPARTS}


def _in_daypart(code: str, moment: dt.time) -> bool:
    start, end = DAYPART_TIMES[code]
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end  # over midnight


def playable(item: Item, at: dt.datetime) -> bool:
    """Whether ``item`` may be on screen at ``at``: approved, within its validity period,
    on one of its weekdays and within one of its dayparts (Tokyo time)."""
    if item.status != Status.APPROVED or not item.starts_at <= at < item.ends_at:
        return False
    local = timezone.localtime(at)
    if local.weekday() not in item.weekday_set:
        return False
    codes = [c for c in item.daypart_codes if c in DAYPART_TIMES]
    return not codes or any(_in_daypart(c, local.time()) for c in codes)


def _targeting(screen: Screen) -> Q:
    return (Q(ward_wide=True) | Q(regions=screen.centre.district.region_id)
            | Q(centres=screen.centre_id) | Q(screens=screen.pk))


def items_for_screen(screen: Screen, now: dt.datetime | None = None) -> list[Item]:
    """The approved items meant for ``screen`` that are valid now or start within a day."""
    now = now or timezone.now()
    ids = (Item.objects.filter(_targeting(screen), status=Status.APPROVED, ends_at__gt=now,
                               starts_at__lte=now + LOOKAHEAD)
           .values_list("pk", flat=True).distinct())
    return list(Item.objects.filter(pk__in=list(ids)).select_related("file", "rendering")
                .order_by("starts_at", "pk"))


def playing_now(screen: Screen, at: dt.datetime) -> list[Item]:
    return [item for item in items_for_screen(screen, at) if playable(item, at)]


# ── the player's schedule ────────────────────────────────────────────────────────────

def _qr(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=8, dark="#000", light="#fff")


def _widget(kind: str, screen: Screen, now: dt.datetime) -> dict:
    centre = screen.centre
    today = timezone.localdate(now)
    if kind == Kind.EVENTS:
        found = (participation.public_list(participation.Filters(
            district_id=centre.district_id, start=today))
            .filter(start__gte=now).exclude(state="skipped")[:EVENTS_SHOWN])
        return {"events": [{"title": o.event.title,
                            "when": timezone.localtime(o.start).strftime("%m/%d %H:%M")}
                           for o in found]}
    if kind == Kind.WAITS:
        office = counter.office_of_centre(centre.pk)
        waits = counter.current_waits(office) if office is not None else []
        return {"waits": [{"service": w["service"].display_name, "waiting": w["waiting"],
                           "minutes": w["minutes"]} for w in waits]}
    open_today = today.weekday() in centre.weekdays and (
        today.weekday() >= 5 or opendays.calendar(today).is_open(today))
    return {"hours": {"open": open_today, "opens": centre.opens_at.strftime("%H:%M"),
                      "closes": centre.closes_at.strftime("%H:%M"), "centre": centre.label}}


def _entry(item: Item, screen: Screen, now: dt.datetime) -> dict:
    entry = {
        "id": str(item.public_id), "kind": item.kind, "title": item.title,
        "seconds": item.seconds, "starts": item.starts_at.isoformat(),
        "ends": item.ends_at.isoformat(), "weekdays": sorted(item.weekday_set),
        "dayparts": [[DAYPART_TIMES[c][0].strftime("%H:%M"),
                      DAYPART_TIMES[c][1].strftime("%H:%M")]
                     for c in item.daypart_codes if c in DAYPART_TIMES],
    }
    if item.kind in MEDIA_KINDS:
        shown = item.rendering if item.kind == Kind.PDF else item.file
        # The address changes with the bytes: a cached copy is never stale.
        entry["media"] = reverse("signage:media", kwargs={"item": item.public_id}) + (
            f"?v={shown.sha256[:16]}" if shown else "")
        entry["type"] = shown.content_type if shown else ""
    elif item.kind == Kind.NOTICE:
        entry["notice"] = {"body": item.body, "large": item.large,
                           "qr": _qr(item.qr_url) if item.qr_url else ""}
    else:
        entry["widget"] = _widget(item.kind, screen, now)
    return entry


def emergency_for(screen: Screen) -> dict | None:
    region_id = screen.centre.district.region_id
    for found in active_emergencies():
        if found["region"] in (None, region_id):
            return found
    return None


def schedule(screen: Screen, now: dt.datetime | None = None) -> dict:
    """What the player plays (``items``: valid now or within a day, each with its period,
    weekdays and dayparts for the player's own check) and the emergency message for its
    region, if any."""
    now = now or timezone.now()
    return {
        "screen": screen.name, "centre": screen.centre.label, "at": now.isoformat(),
        "tz": "Asia/Tokyo",
        "items": [_entry(item, screen, now) for item in items_for_screen(screen, now)],
        "emergency": emergency_for(screen),
    }


def active_emergencies() -> list[dict]:
    return [{"id": e.pk, "region": e.region_id, "message": e.message, "source": e.source,
             "since": e.started_at.isoformat()}
            for e in Emergency.objects.filter(lifted_at__isnull=True).order_by("region", "pk")]


def media_item(public_id, screen: Screen, now: dt.datetime | None = None) -> Item | None:
    """The media item ``public_id`` if it is meant for ``screen`` and still valid."""
    found = [i for i in items_for_screen(screen, now) if str(i.public_id) == str(public_id)]
    return found[0] if found and found[0].kind in MEDIA_KINDS else None


# ── staff ─────────────────────────────────────────────────────────────────────────────

def visible_items(user: User) -> list[Item]:
    """Items the user wrote, may write or may approve (recent first)."""
    if not (has_role_for(user, Action.SIGNAGE_WRITE)
            or has_role_for(user, Action.SIGNAGE_APPROVE)):
        return []
    items = (Item.objects.select_related("author", "decided_by")
             .prefetch_related("regions", "centres__district", "screens__centre__district")
             .order_by("-created_at", "-pk")[:300])
    return [i for i in items if i.author_id == user.pk or _may_see(user, i)]


def _may_see(user: User, item: Item) -> bool:
    from madoguchi.signage.access import may_approve, may_write, targets_of

    targets = targets_of(item)
    return ((has_role_for(user, Action.SIGNAGE_WRITE) and may_write(user, targets))
            or (has_role_for(user, Action.SIGNAGE_APPROVE) and may_approve(user, targets)))


def visible_screens(user: User) -> list[Screen]:
    screens = Screen.objects.select_related("centre__district__region", "current_item")
    return [s for s in screens if can(user, Action.SIGNAGE_SCREENS, s)]


def screen_status(screen: Screen, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    online = screen.last_seen is not None and now - screen.last_seen <= ONLINE_WITHIN
    current = (_("緊急メッセージ") if screen.current_emergency
               else (screen.current_item.title if screen.current_item else ""))
    return {"screen": screen, "online": online, "last_seen": screen.last_seen,
            "current": current, "has_key": screen.keys.filter(revoked_at__isnull=True).exists()}


def plays_of(screens: list[Screen]) -> QuerySet[Play]:
    return (Play.objects.select_related("screen__centre").filter(screen__in=screens)
            .order_by("-started_at", "-pk")[:PLAYS_SHOWN])
