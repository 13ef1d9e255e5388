"""The one permission policy: role × organisational unit × action.

Every view, API endpoint and service asks here. Lists are filtered with the queryset
helpers, single records with ``can``. There is no switch that turns checks off.

Other contexts widen who may see a resident by registering an *involvement* rule
(e.g. consultations: staff of the section handling a resident's matter):
``register_involvement(fn)`` where ``fn(user) -> Q`` over Resident fields (or a list of
them, one per way of being involved: each becomes a branch of the resident search's UNION,
so each should be a plain ``pk__in`` subquery or ``Exists`` without joins or ORs).

A role may *imply* others (``ROLE_IMPLIES``, ADR 0058): the centre head (所長) is district
staff of the centre too. The role table and the helpers below count a membership for every
role its own implies, so an action open to district staff is open to their head without a
row of its own, while an action open to the head only (the centre's approvals) is not open
to the staff.

Which record an action may touch is decided by a *record rule* that the context owning the
record registers (ADR 32): ``register_rule(action, rule)`` where ``rule(user, obj) -> bool``,
one per action, from the owner's ``AppConfig.ready``. ``can(user, action, obj)`` first asks
the role gate, then that rule; an action asked about a record without a registered rule is
a programming error and raises ``RecordRuleMissing`` (never a silent role-only yes).

One module per part (ADR 0034), every public name re-exported here: other contexts import
``madoguchi.accounts.policy`` only. ``actions`` (the ``Action`` enum), ``table`` (the role
table, unit-kind limits and implied roles), ``staff`` (the user's memberships, roles, own
sections and districts), ``residents`` (involvement rules and the resident scope),
``records`` (record rules and ``can``).
"""

from madoguchi.accounts.policy.actions import Action
from madoguchi.accounts.policy.records import (
    RecordRule,
    RecordRuleMissing,
    can,
    register_rule,
    registered_rules,
    unregister_rule,
)
from madoguchi.accounts.policy.residents import (
    InvolvementRule,
    register_involvement,
    resident_scope,
    resident_scope_parts,
    unregister_involvement,
    visible_residents,
)
from madoguchi.accounts.policy.staff import (
    district_ids_for,
    has_role_for,
    memberships,
    memberships_for,
    own_district_ids,
    own_section_ids,
    primary_membership,
    requires_two_factor,
    roles,
)
from madoguchi.accounts.policy.table import (
    CASEWORK_ROLES,
    PARTY_PARTNER_KINDS,
    PARTY_ROLES,
    ROLE_ACTIONS,
    ROLE_IMPLIES,
    SECTION_ROLES,
    STAFF_ROLES,
    UNIT_KIND_LIMITS,
    holds,
    role_covers,
    roles_holding,
)

__all__ = [
    "CASEWORK_ROLES", "PARTY_PARTNER_KINDS", "PARTY_ROLES", "ROLE_ACTIONS", "ROLE_IMPLIES",
    "SECTION_ROLES", "STAFF_ROLES", "UNIT_KIND_LIMITS", "Action", "InvolvementRule",
    "RecordRule", "RecordRuleMissing", "can", "district_ids_for", "has_role_for", "holds",
    "memberships", "memberships_for", "own_district_ids", "own_section_ids",
    "primary_membership", "register_involvement", "register_rule", "registered_rules",
    "requires_two_factor", "resident_scope", "resident_scope_parts", "role_covers", "roles",
    "roles_holding", "unregister_involvement", "unregister_rule", "visible_residents",
]
