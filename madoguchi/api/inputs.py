"""Input types of the JSON API shared by several contexts.

``Moment`` and ``Day`` are a datetime and a date within years the ward can mean (1900-2199):
a mistyped year (``0147-01-14``, ``9999-12-31``) is refused as invalid input (422) before any
calendar arithmetic, which would otherwise fail on dates before 明治 or past year 9999.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator

MIN_YEAR = 1900
MAX_YEAR = 2199


def plausible(value: dt.date) -> dt.date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(_("%(min)d年から%(max)d年までの日付を指定してください。")
                         % {"min": MIN_YEAR, "max": MAX_YEAR})
    return value


Moment = Annotated[dt.datetime, AfterValidator(plausible)]
Day = Annotated[dt.date, AfterValidator(plausible)]
