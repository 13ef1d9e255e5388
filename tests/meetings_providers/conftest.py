"""Fixtures of the video provider and recording tests: a booking's time window."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def window():
    """A call that opened five minutes ago and ends in an hour (whole seconds, as in JWTs)."""
    now = timezone.now().replace(microsecond=0)
    return now - dt.timedelta(minutes=5), now + dt.timedelta(hours=1)
