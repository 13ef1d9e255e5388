"""Re-indexing the knowledge base in the task worker (after a synonym change)."""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

from madoguchi.guidance.index import index_all
from madoguchi.guidance.models import IndexStats

logger = logging.getLogger("madoguchi.guidance")


@task()
def reindex_guidance() -> str:
    """Rebuild the whole index in one transaction; concurrent rebuilds wait for each other
    on the statistics row, so they never interleave."""
    with transaction.atomic():
        if not IndexStats.objects.exists():
            IndexStats.objects.create()
        IndexStats.objects.select_for_update().order_by("pk").first()
        published = index_all()
    logger.info("guidance index rebuilt: %s published entries", published)
    return f"indexed {published}"
