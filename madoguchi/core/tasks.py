"""Background tasks of the core context."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def heartbeat() -> str:
    """A no-op a monitor can enqueue to see that workers take work (see /healthz)."""
    return timezone.now().isoformat()
