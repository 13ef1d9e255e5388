"""Tasks of the disaster context (Django Tasks API, database backend)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from madoguchi.disaster.services.reminders import plan_reviews_remind


@task()
def remind_plan_reviews() -> str:
    """Daily: remind the district centres of the plans due for their yearly review."""
    return f"districts {plan_reviews_remind(on=timezone.localdate())}"
