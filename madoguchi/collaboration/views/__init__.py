"""Pages of four-party collaboration (staff only)."""

from madoguchi.collaboration.views.escalations import (  # noqa: F401
    action_escalate,
    escalation_create,
    escalation_detail,
    escalation_list,
)
from madoguchi.collaboration.views.meetings import (  # noqa: F401
    action_done,
    meeting_action,
    meeting_approve,
    meeting_detail,
    meeting_hold,
    meeting_list,
    meeting_minutes,
    resource_list,
    task_list,
)
from madoguchi.collaboration.views.records import (  # noqa: F401
    record_create,
    record_detail,
    record_list,
    record_reference,
    record_reference_remove,
    record_transition,
)
from madoguchi.collaboration.views.settings import (  # noqa: F401
    settings_page,
)
