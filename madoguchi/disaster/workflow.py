"""Which opening status may follow which: the one table the pages and services ask."""

from __future__ import annotations

from madoguchi.disaster.models import ShelterStatus as S

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.CLOSED: (S.OPENING,),
    S.OPENING: (S.OPEN, S.RECLOSED),
    S.OPEN: (S.FULL, S.RECLOSED),
    S.FULL: (S.OPEN, S.RECLOSED),
    S.RECLOSED: (S.OPENING,),
}

# Statuses in which a shelter takes evacuees (shown on the public page).
RECEIVING = (S.OPEN, S.FULL)


def allowed(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())
