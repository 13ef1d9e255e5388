"""A small request counter in the database, for limits that must hold across processes
(several ASGI workers, with or without Redis). Keys are keyed hashes: neither an address
nor an IP is stored."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from madoguchi.portal.models import Throttle

KEEP = dt.timedelta(days=1)


def _window_start(now: dt.datetime, window: dt.timedelta) -> dt.datetime:
    seconds = max(int(window.total_seconds()), 1)
    return dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=dt.UTC)


def hit(*, scope: str, value: str, limit: int, window: dt.timedelta) -> bool:
    """Count one request for ``value`` under ``scope``; False once more than ``limit``
    were counted in the current window."""
    now = timezone.now()
    start = _window_start(now, window)
    key = salted_hmac(f"madoguchi.portal.throttle.{scope}", value,
                      algorithm="sha256").hexdigest()
    with transaction.atomic():
        updated = (Throttle.objects.filter(key=key, window_start=start)
                   .update(count=F("count") + 1))
        if not updated:
            try:
                with transaction.atomic():
                    Throttle.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:  # another request created it first
                Throttle.objects.filter(key=key, window_start=start).update(
                    count=F("count") + 1)
            Throttle.objects.filter(window_start__lt=now - max(KEEP, window)).delete()
        count = Throttle.objects.values_list("count", flat=True).get(key=key,
                                                                     window_start=start)
    return count <= limit
