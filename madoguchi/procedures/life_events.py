"""Life events (ライフイベント): which procedures of the catalogue follow from one event.

The events are data (``data/life_events/life_events.yaml``), read once per process and
checked against the catalogue by ``load_procedures`` (``check_life_events``). Each
procedure of an event is shown with where and how it can be done and what to bring; for
a chosen district the concrete offices come from ``guidance.selectors.offices_for`` (the
same resolution as the guidance page). The printed slip (受付案内票) uses the same rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext_lazy

from madoguchi.core.language import english_or
from madoguchi.documents.content import Channel as SlipChannel
from madoguchi.documents.content import GuidanceSlip, SlipOffice, SlipProcedure
from madoguchi.guidance.offices import centre_hours, centre_of, office_facts
from madoguchi.guidance.selectors import offices_for
from madoguchi.organisation.models import District
from madoguchi.procedures import presentation, selectors
from madoguchi.procedures.models import ProcedureVersion
from madoguchi.procedures.yamlio import parse_yaml

# In a folder of its own: every ``data/*.yaml`` is a procedure.
DATA_FILE = Path(__file__).resolve().parent / "data" / "life_events" / "life_events.yaml"
# The branch offices' counters keep the ward's usual hours (the organisation data holds
# hours only for the district centres).
COUNTER_HOURS = gettext_lazy("平日 8:30〜17:15")
KEYS = {"code", "name", "name_en", "explanation", "explanation_en", "procedures", "notes",
        "notes_en"}


class LifeEventError(ValueError):
    """The life-events file names something the catalogue does not know, or is malformed."""


@dataclass(frozen=True)
class LifeEvent:
    code: str
    name: str
    name_en: str
    explanation: str
    explanation_en: str
    procedures: tuple[str, ...]
    notes: tuple[str, ...]
    notes_en: tuple[str, ...]

    def _pick(self, ja, en):
        return english_or(ja, en)

    @property
    def display_name(self) -> str:
        return self._pick(self.name, self.name_en)

    @property
    def display_explanation(self) -> str:
        return self._pick(self.explanation, self.explanation_en)

    @property
    def display_notes(self) -> tuple[str, ...]:
        return self._pick(self.notes, self.notes_en)


def parse_events(text: str, *, known: set[str] | None = None, name: str = "life_events.yaml"
                 ) -> list[LifeEvent]:
    """The events of ``text``; ``known`` (procedure codes) refuses codes outside it."""
    try:
        data = parse_yaml(text)
    except ValueError as error:
        raise LifeEventError(f"{name}: {error}") from None
    if not isinstance(data, list):
        raise LifeEventError(f"{name}: a list of life events is expected")
    problems, events, seen = [], [], set()
    for number, item in enumerate(data, 1):
        if not isinstance(item, dict) or not {"code", "name", "procedures"} <= set(item):
            problems.append(f"event {number}: code, name and procedures are required")
            continue
        code = str(item["code"])
        if set(item) - KEYS:
            problems.append(f"{code}: unknown keys {sorted(set(item) - KEYS)}")
        if code in seen:
            problems.append(f"{code}: the code is used twice")
        seen.add(code)
        codes = [str(c) for c in item["procedures"] or []]
        if not codes:
            problems.append(f"{code}: no procedures")
        for missing in [c for c in codes if known is not None and c not in known]:
            problems.append(f"{code}: procedure '{missing}' is not in the catalogue")
        events.append(LifeEvent(
            code=code, name=str(item["name"]), name_en=str(item.get("name_en", "")),
            explanation=str(item.get("explanation", "")),
            explanation_en=str(item.get("explanation_en", "")), procedures=tuple(codes),
            notes=tuple(map(str, item.get("notes") or ())),
            notes_en=tuple(map(str, item.get("notes_en") or ()))))
    if problems:
        raise LifeEventError(f"{name}:\n" + "\n".join(f"  {p}" for p in problems))
    return events


@lru_cache(maxsize=1)
def _cached(mtime: float) -> tuple[LifeEvent, ...]:
    return tuple(parse_events(DATA_FILE.read_text(encoding="utf-8")))


def all_events() -> tuple[LifeEvent, ...]:
    return _cached(DATA_FILE.stat().st_mtime)


def event_get(code: str) -> LifeEvent | None:
    return next((event for event in all_events() if event.code == code), None)


def check_life_events(known: set[str]) -> int:
    """``load_procedures``' check: every code named exists. Returns the number of events."""
    return len(parse_events(DATA_FILE.read_text(encoding="utf-8"), known=known))


# ---------------------------------------------------------------- rows for pages and slip


@dataclass(frozen=True)
class EventProcedure:
    version: ProcedureVersion
    ways: list
    attachments: list
    office: str  # in words (お住まいの地域の総合支所 …)
    section_office: dict  # the concrete office for the district ({} without one)


def event_rows(event: LifeEvent, district: District | None) -> list[EventProcedure]:
    """The event's published procedures in the event's order, with their offices."""
    versions = {v.code: v for v in selectors.published() if v.code in event.procedures}
    ordered = [versions[c] for c in event.procedures if c in versions]
    kinds = list({v.section_kind_id: v.section_kind for v in ordered}.values())
    offices = offices_for(kinds, district) if kinds else {}
    return [EventProcedure(
        version=v, ways=presentation.ways(v), attachments=presentation.attachments(v),
        office=presentation.office_text(v),
        section_office=_facts(offices.get(v.section_kind_id))) for v in ordered]


def _facts(office: dict | None) -> dict:
    """The office's facts, its name with the building (本庁 国保・年金課) where missing."""
    if not office:
        return {}
    facts = office_facts(office)
    building = office.get("office", "")
    if building and building not in facts["name"]:
        facts["name"] = f"{building} {facts['name']}"
    return facts


def event_offices(rows: list[EventProcedure], district: District | None) -> list[dict]:
    """The district centre (where some are assisted) and each distinct counter, with hours."""
    found: list[dict] = []
    centre = centre_of(district) if district is not None else None
    if centre is not None and any(row.version.assisted for row in rows):
        found.append({"name": centre.label, "address": centre.address, "phone": centre.phone,
                      "hours": centre_hours(centre)})
    for row in rows:
        office = dict(row.section_office)
        if not office.get("name"):
            continue
        office["hours"] = office.get("hours") or COUNTER_HOURS
        if all(office["name"] != known["name"] for known in found):
            found.append(office)
    return found


def _bring(row: EventProcedure) -> tuple[str, ...]:
    return tuple(f"{a.name}（{a.need}）" if not a.required or a.when else a.name
                 for a in row.attachments)


def guidance_slip(event: LifeEvent, district: District | None, *, today: dt.date,
                  resident_name: str = "", printed_by: str = "") -> GuidanceSlip:
    """The 受付案内票 of ``event`` (always in Japanese: it is the ward's document)."""
    with translation.override("ja"):
        rows = event_rows(event, district)
        procedures = tuple(SlipProcedure(
            name=row.version.name,
            section=row.section_office.get("name") or row.office,
            channels=tuple(SlipChannel(c) for c in row.version.channels),
            bring=_bring(row)) for row in rows)
        offices = tuple(SlipOffice(name=o["name"], address=o.get("address", ""),
                                   phone=o.get("phone", ""), hours=o.get("hours", ""))
                        for o in event_offices(rows, district))
        return GuidanceSlip(life_event=event.name, procedures=procedures, printed_on=today,
                            offices=offices, resident_name=resident_name,
                            printed_by=printed_by, note="\n".join(event.notes))
