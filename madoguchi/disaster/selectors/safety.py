"""Reads of 安否確認: progress per campaign and the people not yet confirmed (audited)."""

from __future__ import annotations

from dataclasses import dataclass, field

from madoguchi.accounts.models import User
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.disaster.models import Campaign, RegistryEntry, SafetyRecord
from madoguchi.disaster.selectors.registry import RECORD_TYPE, registry_scope


@dataclass
class Progress:
    total: int = 0
    confirmed: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    latest: dict[int, SafetyRecord] = field(default_factory=dict)  # entry id -> newest
    conflicts: int = 0  # people with different statuses from different recorders
    not_confirmed: list[RegistryEntry] = field(default_factory=list)


def campaign_progress(*, user: User, campaign: Campaign, source: str) -> Progress:
    """Everyone of the district on the registry that ``user`` may see, the newest status
    of each (all records kept), and who is not confirmed yet; the list read is audited."""
    entries = list(RegistryEntry.objects.filter(registry_scope(user))
                   .filter(resident__district_id=campaign.district_id)
                   .select_related("resident"))
    progress = Progress(total=len(entries))
    statuses: dict[int, set[str]] = {}
    for record in (SafetyRecord.objects.filter(campaign=campaign)
                   .order_by("entry_id", "-recorded_at", "-pk")):
        progress.latest.setdefault(record.entry_id, record)
        statuses.setdefault(record.entry_id, set()).add(record.status)
    visible = {e.pk for e in entries}
    for entry_id, record in progress.latest.items():
        if entry_id in visible:
            progress.confirmed += 1
            progress.by_status[record.status] = progress.by_status.get(record.status, 0) + 1
            progress.conflicts += len(statuses[entry_id]) > 1
    progress.not_confirmed = [e for e in entries if e.pk not in progress.latest]
    if progress.not_confirmed:
        audit.record_many(actor=user, action=AuditAction.LIST, record_type=RECORD_TYPE,
                          records=[(e.pk, e.resident.public_id) for e in progress.not_confirmed],
                          source=source)
    return progress
