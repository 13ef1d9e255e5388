"""Reads of applications (ADR 0034: one module per feature, re-exported here). Every read
of an application (detail) or list of them writes the audit trail: one entry per
application shown, with the route name as source.

- ``review``: the section's inbox, the clock, the overdue list;
- ``portal``: a resident's own applications;
- ``assist``: the assisted pages' lists (centre and counter);
- ``statistics``: counts per district for the dashboards (never a person);
- ``_common``: the audit of reads, a staff member's scope, the history.
"""

from madoguchi.applications.selectors._common import (
    RELATED,
    audit_list,
    audit_view,
    history,
    staff_get,
    staff_queryset,
)
from madoguchi.applications.selectors.portal import for_identity, identity_get, with_pending_post
from madoguchi.applications.selectors.review import (
    OverdueRow,
    elapsed_for,
    elapsed_open_days,
    inbox,
    inbox_rows,
    overdue,
    paused_intervals,
    staff_drafts,
    waiting_for_resident,
)
from madoguchi.applications.selectors.statistics import district_counts, district_overdue_counts

__all__ = [
    "RELATED", "OverdueRow", "audit_list", "audit_view", "district_counts",
    "district_overdue_counts", "elapsed_for", "elapsed_open_days",
    "for_identity", "history", "identity_get", "inbox", "inbox_rows", "overdue",
    "paused_intervals", "staff_drafts", "staff_get", "staff_queryset", "waiting_for_resident",
    "with_pending_post",
]
