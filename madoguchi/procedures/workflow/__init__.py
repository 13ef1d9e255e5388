"""A procedure's workflow as data: statuses and the allowed transitions between them.

Each procedure version carries its own workflow (``ProcedureVersion.workflow``), in the
house pattern of ``consultations/workflow.py``: services ask ``require(status, name)``
before they write; pages and the API ask ``available(status, actor=...)`` which actions to
offer, so the UI never repeats the rules. A typical workflow::

    received ─▶ checking ─▶ accepted ─▶ decided ─▶ notified
                  │  ▲          └────▶ rejected ─┘
        correction_requested ─▶ resubmitted (by the resident)
    withdrawn (by the resident, from any open status)

``model``: the statuses, transitions and the standard workflow; ``parse``:
``parse_workflow``, which refuses a workflow that cannot work: unknown statuses, duplicate
names, transitions out of a final status, statuses that cannot be reached from the first
one, or from which no final status can be reached. Re-exported here.
"""

from madoguchi.procedures.workflow.model import STANDARD_WORKFLOW, Status, Transition, Workflow
from madoguchi.procedures.workflow.parse import parse_workflow

__all__ = ["STANDARD_WORKFLOW", "Status", "Transition", "Workflow", "parse_workflow"]
