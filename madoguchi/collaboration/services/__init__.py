"""Writes of four-party collaboration: records, meetings, minutes, action items, escalations.

Every service is keyword-only, checks its input with Japanese messages before it writes,
and writes in one transaction (nothing half-saved). Permissions are asked here through
``policy.can`` (the record rules of ``access``).
"""

from madoguchi.collaboration.services._common import (  # noqa: F401
    ESCALATION_OPEN_DAYS,
    RECORD,
    SERIES_AHEAD,
    due_in_open_days,
)
from madoguchi.collaboration.services.escalation import (  # noqa: F401
    escalation_open,
    escalation_reply,
    escalation_targets,
)
from madoguchi.collaboration.services.forms import (  # noqa: F401
    current_form,
    form_spec,
    record_form_publish,
    theme_save,
)
from madoguchi.collaboration.services.meetings import (  # noqa: F401
    RULES,
    WEEKDAY_CODES,
    MinutesConflict,
    action_create,
    action_done,
    actions_to_chase,
    agenda_build,
    chase_overdue,
    meeting_hold,
    minutes_approve,
    minutes_save,
    next_open_day,
    occurrences,
    previous_meeting,
    series_create,
)
from madoguchi.collaboration.services.records import (  # noqa: F401
    RecordInput,
    record_create,
    record_mark_share,
    record_transition,
)
from madoguchi.collaboration.services.resources import (  # noqa: F401
    resource_create,
)
