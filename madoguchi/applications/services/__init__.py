"""Writes of applications (ADR 0034: one module per feature, re-exported here).

- ``drafts``: drafts, their attachments and their submission (portal, API, centre, counter);
- ``review``: the section's workflow transitions and checklist;
- ``notices``: decision notices; ``corrections``: answering a correction (補正);
- ``linking``: linking applications to a resident's portal identity;
- ``_common``: who acts (``Actor``), the audit entry and history event of a write.

Inside the app, import from the feature module; the names here are the ones other modules
used before the split, kept so that ``services.<name>`` still reads.
"""

from madoguchi.applications.errors import AnswersInvalid
from madoguchi.applications.services._common import (
    Actor,
    Submission,
    audit_write,
    history_append,
    locked_for_update,
    today,
)
from madoguchi.applications.services.drafts import (
    FILE_PURPOSE,
    MAX_ATTACHMENTS,
    MAX_IDEMPOTENCY_KEY,
    applicant_name_of,
    application_submit,
    application_submit_new,
    attachment_add,
    attachment_remove,
    check_answers,
    contact_email_of,
    draft_discard,
    draft_save,
    draft_start,
    reference_for,
)
from madoguchi.applications.services.review import application_transition, checklist_set

__all__ = [
    "FILE_PURPOSE", "MAX_ATTACHMENTS", "MAX_IDEMPOTENCY_KEY", "Actor", "AnswersInvalid",
    "Submission",
    "applicant_name_of", "application_submit", "application_submit_new",
    "application_transition", "attachment_add", "attachment_remove", "audit_write",
    "check_answers", "checklist_set", "contact_email_of", "draft_discard", "draft_save",
    "draft_start", "history_append", "locked_for_update", "reference_for", "today",
]
