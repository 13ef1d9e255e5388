"""What the service modules share: constants and due dates in open days."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from madoguchi.core import opendays

if TYPE_CHECKING:
    pass


RECORD = "collaboration.record"
# Open days a branch or head-office section has to answer an escalation.
ESCALATION_OPEN_DAYS = 10
# How many meetings of a recurring schedule are put in the calendar at once.
SERIES_AHEAD = 12


def due_in_open_days(start: dt.date, days: int) -> dt.date:
    """The due date ``days`` ward open days after ``start`` (the project's calendar)."""
    return opendays.add_open_days(start, days)
