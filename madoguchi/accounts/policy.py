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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

from madoguchi.accounts.models import Membership, Role

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


class Action(StrEnum):
    HOME = "home"
    ORG_VIEW = "org.view"
    ORG_EDIT = "org.edit"
    RESIDENT_SEARCH = "resident.search"
    RESIDENT_CREATE = "resident.create"
    RESIDENT_VIEW = "resident.view"
    RESIDENT_UPDATE = "resident.update"
    CONSENT_RECORD = "consent.record"
    AUDIT_VIEW = "audit.view"
    BOOKING_CREATE = "booking.create"
    BOOKING_VIEW = "booking.view"
    BOOKING_CANCEL = "booking.cancel"
    BOARD_VIEW = "schedule.board"
    SECTION_CALENDAR_VIEW = "schedule.section_calendar"
    AGENDA_VIEW = "schedule.agenda"
    CONSULTATION_INTAKE = "consultation.intake"
    CONSULTATION_VIEW = "consultation.view"
    CONSULTATION_ROUTE = "consultation.route"
    CONSULTATION_BOOK = "consultation.book"
    CONSULTATION_OUTCOME = "consultation.outcome"
    ROUTING_EDIT = "routing.edit"
    MEETING_JOIN = "meeting.join"
    MEETING_HOST = "meeting.host"
    KIOSK_MANAGE = "meeting.kiosk_manage"
    PROCEDURES_VIEW = "procedures.view"
    PROCEDURES_MANAGE = "procedures.manage"
    GUIDANCE_SEARCH = "guidance.search"
    GUIDANCE_EDIT = "guidance.edit"
    GUIDANCE_PUBLISH = "guidance.publish"
    GUIDANCE_SYNONYMS = "guidance.synonyms"
    GUIDANCE_LEARNING = "guidance.learning"
    RECORDING_SETUP = "meeting.recording_setup"
    RECORDING_VIEW = "meeting.recording_view"
    RECORDING_DELETE = "meeting.recording_delete"
    APPLICATION_ASSIST = "application.assist"
    APPLICATION_VIEW = "application.view"
    APPLICATION_REVIEW = "application.review"
    APPLICATION_OVERDUE = "application.overdue"
    APPLICATION_EXPORT = "application.export"
    NOTICE_PRINT = "application.notice_print"
    CONSULTATION_RESCHEDULE = "consultation.reschedule"
    CONSULTATION_CANCEL = "consultation.cancel"
    CONSULTATION_SUMMARY = "consultation.summary"
    CONSULTATION_DOCUMENT_ADD = "consultation.document_add"
    FOLLOWUP_COMPLETE = "consultation.followup_complete"
    GUIDANCE_DRAFT = "guidance.draft"
    # Four-party collaboration (madoguchi/collaboration/access.py).
    COLLAB_RECORD_CREATE = "collab.record_create"
    COLLAB_RECORD_VIEW = "collab.record_view"
    COLLAB_RECORD_EDIT = "collab.record_edit"
    COLLAB_MEETING_VIEW = "collab.meeting_view"
    COLLAB_MEETING_SCHEDULE = "collab.meeting_schedule"
    COLLAB_MINUTES_EDIT = "collab.minutes_edit"
    COLLAB_MINUTES_APPROVE = "collab.minutes_approve"
    COLLAB_ACTION_DONE = "collab.action_done"
    COLLAB_ESCALATE = "collab.escalate"
    COLLAB_ESCALATION_VIEW = "collab.escalation_view"
    COLLAB_ESCALATION_ANSWER = "collab.escalation_answer"
    COLLAB_SETTINGS = "collab.settings"
    PROFILE_VIEW = "assessment.profile"
    ASSESSMENT_FIGURES = "assessment.figures"
    DASHBOARD_VIEW = "assessment.dashboard"
    ASSESSMENT_WRITE = "assessment.write"
    ASSESSMENT_CENTRE_APPROVE = "assessment.centre_approve"
    ASSESSMENT_BRANCH_APPROVE = "assessment.branch_approve"
    ASSESSMENT_PUBLISH = "assessment.publish"
    EVENT_MANAGE = "participation.event_manage"
    EVENT_APPROVE = "participation.event_approve"
    EVENT_KINDS = "participation.event_kinds"
    REGISTRATION_VIEW = "participation.registration_view"
    OPINIONS_MANAGE = "opinions.manage"
    COUNTER_SERVE = "counter.serve"
    COUNTER_LOG = "counter.log"
    COMMUNITY_ROOM_BOOK = "community.room_book"
    COMMUNITY_ROOM_EDIT = "community.room_edit"
    COMMUNITY_LEND = "community.lend"
    COMMUNITY_GROUPS = "community.groups"
    COMMUNITY_LOTTERY = "community.lottery"
    SHELTER_OPERATE = "disaster.shelter_operate"
    REGISTRY_VIEW = "disaster.registry_view"
    REGISTRY_EDIT = "disaster.registry_edit"
    DISASTER_DECLARE = "disaster.declare"
    NEWS_WRITE = "news.write"
    NEWS_PUBLISH = "news.publish"
    NEWS_DELIVERY = "news.delivery"
    NEWS_INQUIRIES = "news.inquiries"
    SIGNAGE_WRITE = "signage.write"
    SIGNAGE_APPROVE = "signage.approve"
    SIGNAGE_SCREENS = "signage.screens"
    SIGNAGE_EMERGENCY = "signage.emergency"


STAFF_ROLES = frozenset(Role.values)

# A role that includes another's (ADR 0058): the centre head (まちづくりセンター所長) is
# district staff of the same centre, and approves what the centre approves besides.
ROLE_IMPLIES: dict[str, frozenset[str]] = {
    Role.CENTRE_HEAD: frozenset({Role.DISTRICT_STAFF}),
}


def role_covers(role: str) -> frozenset[str]:
    """``role`` and the roles it implies."""
    return frozenset({role, *ROLE_IMPLIES.get(role, ())})


def holds(membership: Membership, role: str) -> bool:
    """Whether ``membership`` counts as ``role`` (its own role, or one it implies)."""
    return role in role_covers(membership.role)


def roles_holding(role: str) -> frozenset[str]:
    """The roles that count as ``role``, itself included (for queries over Membership)."""
    return frozenset(r for r in Role.values if role in role_covers(r))


# (Sets below name district staff once: the centre head is covered through ROLE_IMPLIES.)
CASEWORK_ROLES = frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF, Role.SECTION_MANAGER,
                            Role.PARTNER_STAFF})
# Staff of a section (課・係) as opposed to a centre, a partner or the ward's administration.
SECTION_ROLES = frozenset({Role.SECTION_STAFF, Role.SECTION_MANAGER})
# The four parties of a district (四者): centre staff and partner staff (of the partner kinds
# named in UNIT_KIND_LIMITS for the collaboration actions).
PARTY_ROLES = frozenset({Role.DISTRICT_STAFF, Role.PARTNER_STAFF})
PARTY_PARTNER_KINDS = frozenset({"anshin", "shakyo", "jidokan"})

# Which roles may take an action at all. Record rules (which resident, which booking) are
# registered by the context owning the record (``register_rule``) and applied on top by
# ``can``; lists use the owners' queryset scopes (``resident_scope`` below for residents).
ROLE_ACTIONS: dict[Action, frozenset[str]] = {
    # The walk-in queue (record rules: madoguchi/counter/access.py): a centre's district
    # staff and a くみん窓口's section staff serve their own office (tickets, calls, the
    # reception tablet's key, the log); ward administrators read every office's log.
    Action.COUNTER_SERVE: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                     Role.SECTION_MANAGER}),
    Action.COUNTER_LOG: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                   Role.SECTION_MANAGER, Role.WARD_ADMIN}),
    Action.HOME: STAFF_ROLES,
    Action.ORG_VIEW: STAFF_ROLES,
    Action.ORG_EDIT: frozenset({Role.WARD_ADMIN}),
    Action.RESIDENT_SEARCH: CASEWORK_ROLES,
    Action.RESIDENT_CREATE: frozenset({Role.DISTRICT_STAFF}),
    Action.RESIDENT_VIEW: CASEWORK_ROLES,
    Action.RESIDENT_UPDATE: CASEWORK_ROLES,
    Action.CONSENT_RECORD: CASEWORK_ROLES,
    Action.AUDIT_VIEW: frozenset({Role.AUDITOR}),
    # Bookings (record rules: madoguchi/scheduling/permissions.py): centre staff of
    # the centre, partner staff of its district, staff of the booked section.
    Action.BOOKING_CREATE: CASEWORK_ROLES,
    Action.BOOKING_VIEW: CASEWORK_ROLES,
    Action.BOOKING_CANCEL: CASEWORK_ROLES,
    # Booking views (record-level rules: madoguchi/scheduling/selectors.py): the centre's
    # day board for its staff, a section's calendar for its staff, everyone's own agenda.
    Action.BOARD_VIEW: frozenset({Role.DISTRICT_STAFF}),
    Action.SECTION_CALENDAR_VIEW: SECTION_ROLES,
    Action.AGENDA_VIEW: STAFF_ROLES,
    # Consultations (record rules: madoguchi/consultations/access.py). Reschedule and cancel
    # are the consultation's own actions (they also need scheduling's rule for the booking);
    # the summary is the section's internal outcome note.
    Action.CONSULTATION_INTAKE: frozenset({Role.DISTRICT_STAFF, Role.PARTNER_STAFF}),
    Action.CONSULTATION_VIEW: CASEWORK_ROLES,
    Action.CONSULTATION_ROUTE: CASEWORK_ROLES,
    Action.CONSULTATION_BOOK: CASEWORK_ROLES,
    Action.CONSULTATION_RESCHEDULE: CASEWORK_ROLES,
    Action.CONSULTATION_CANCEL: CASEWORK_ROLES,
    Action.CONSULTATION_OUTCOME: SECTION_ROLES,
    Action.CONSULTATION_SUMMARY: SECTION_ROLES,
    Action.CONSULTATION_DOCUMENT_ADD: CASEWORK_ROLES,
    Action.FOLLOWUP_COMPLETE: CASEWORK_ROLES,
    Action.ROUTING_EDIT: frozenset({Role.WARD_ADMIN}),
    # Video rooms (record rules: madoguchi/meetings/access.py): staff participants of
    # the booking join; staff of the booking's section host (admit, refuse, remove, end);
    # a booking without a section (an event's session, ADR 0064) is hosted by the staff its
    # owner names: a centre's district staff for their district's events.
    Action.MEETING_JOIN: CASEWORK_ROLES,
    Action.MEETING_HOST: SECTION_ROLES | {Role.DISTRICT_STAFF},
    # Booth kiosk keys (record rule: madoguchi/meetings/access.py): the centre's own
    # district staff, or a ward administrator for any booth.
    Action.KIOSK_MANAGE: frozenset({Role.DISTRICT_STAFF, Role.WARD_ADMIN}),
    # The catalogue of procedures (madoguchi/procedures): every staff member reads it (the
    # published procedures are public anyway); ward administrators define and publish.
    Action.PROCEDURES_VIEW: STAFF_ROLES,
    Action.PROCEDURES_MANAGE: frozenset({Role.WARD_ADMIN}),
    # Guidance knowledge base (record rules: madoguchi/guidance/access.py): every staff
    # member asks "who handles what"; centre and section staff write entries (draft: of
    # the section kinds they write for; edit: a published one only if they publish), section
    # managers (their own section kinds) and ward administrators publish them; ward
    # administrators edit the synonyms; editors read the learning loop.
    Action.GUIDANCE_SEARCH: STAFF_ROLES,
    Action.GUIDANCE_EDIT: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                     Role.SECTION_MANAGER, Role.WARD_ADMIN}),
    Action.GUIDANCE_DRAFT: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                      Role.SECTION_MANAGER, Role.WARD_ADMIN}),
    Action.GUIDANCE_PUBLISH: frozenset({Role.SECTION_MANAGER, Role.WARD_ADMIN}),
    Action.GUIDANCE_SYNONYMS: frozenset({Role.WARD_ADMIN}),
    Action.GUIDANCE_LEARNING: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                         Role.SECTION_MANAGER, Role.WARD_ADMIN}),
    # Call recordings (record rules: madoguchi/meetings/recording_access.py): a
    # section's manager (own section) or a ward administrator lets a section record at all;
    # staff who may see the consultation (or host the booking) list and play them; the
    # booking's section deletes them.
    Action.RECORDING_SETUP: frozenset({Role.SECTION_MANAGER, Role.WARD_ADMIN}),
    Action.RECORDING_VIEW: CASEWORK_ROLES,
    Action.RECORDING_DELETE: SECTION_ROLES,
    # Applications (record rules: madoguchi/applications/access.py): centre staff
    # fill in and receive applications with residents of their district (section staff at
    # their counter); the responsible section reviews, decides, notifies and exports; its
    # manager sees the overdue list; centre staff follow their district's applications.
    Action.APPLICATION_ASSIST: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                          Role.SECTION_MANAGER}),
    Action.APPLICATION_VIEW: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                        Role.SECTION_MANAGER}),
    Action.APPLICATION_REVIEW: SECTION_ROLES,
    Action.APPLICATION_OVERDUE: frozenset({Role.SECTION_MANAGER}),
    Action.APPLICATION_EXPORT: SECTION_ROLES,
    Action.NOTICE_PRINT: SECTION_ROLES,
    # Four-party collaboration (record rules: madoguchi/collaboration/access.py): the
    # district centre and the district's partner units (あんしんすこやかセンター,
    # 社会福祉協議会, 児童館; see UNIT_KIND_LIMITS) record troubles and meet; the centre
    # schedules the meetings and its head (所長) approves the minutes; branch and head-office
    # sections answer escalations sent to them, branch sections see their districts' ones.
    Action.COLLAB_RECORD_CREATE: PARTY_ROLES,
    Action.COLLAB_RECORD_VIEW: PARTY_ROLES,
    Action.COLLAB_RECORD_EDIT: PARTY_ROLES,
    Action.COLLAB_MEETING_VIEW: PARTY_ROLES,
    Action.COLLAB_MEETING_SCHEDULE: frozenset({Role.DISTRICT_STAFF}),
    Action.COLLAB_MINUTES_EDIT: PARTY_ROLES,
    Action.COLLAB_MINUTES_APPROVE: frozenset({Role.CENTRE_HEAD}),
    Action.COLLAB_ACTION_DONE: PARTY_ROLES,
    Action.COLLAB_ESCALATE: PARTY_ROLES,
    Action.COLLAB_ESCALATION_VIEW: frozenset({*PARTY_ROLES, *SECTION_ROLES}),
    Action.COLLAB_ESCALATION_ANSWER: SECTION_ROLES,
    Action.COLLAB_SETTINGS: frozenset({Role.WARD_ADMIN}),  # themes and the standard form
    # District profiles, the ward dashboard and the yearly assessment (record rules:
    # madoguchi/assessment/access.py): every unit's staff read the profiles (aggregates,
    # small cells suppressed outside the owning unit); the centre enters its figures and
    # writes its assessment; the centre's head approves, then a manager of the district's
    # branch office; the head office and the branch offices see the dashboard and export it.
    Action.PROFILE_VIEW: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                    Role.SECTION_MANAGER, Role.PARTNER_STAFF,
                                    Role.WARD_ADMIN}),
    Action.ASSESSMENT_FIGURES: frozenset({Role.DISTRICT_STAFF}),
    Action.DASHBOARD_VIEW: frozenset({Role.SECTION_STAFF, Role.SECTION_MANAGER,
                                      Role.WARD_ADMIN}),
    Action.ASSESSMENT_WRITE: frozenset({Role.DISTRICT_STAFF}),
    Action.ASSESSMENT_CENTRE_APPROVE: frozenset({Role.CENTRE_HEAD}),
    Action.ASSESSMENT_BRANCH_APPROVE: frozenset({Role.SECTION_MANAGER}),
    Action.ASSESSMENT_PUBLISH: frozenset({Role.DISTRICT_STAFF}),
    # Events and their registrations (record rules: madoguchi/participation/access.py):
    # centre staff for their district's events, section staff for ward-wide events and
    # their own, ward administrators for all; the centre's head approves a district's event,
    # a section manager or ward administrator a ward-wide one; ward administrators edit the
    # kinds of event.
    Action.EVENT_MANAGE: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                    Role.SECTION_MANAGER, Role.WARD_ADMIN}),
    Action.EVENT_APPROVE: frozenset({Role.CENTRE_HEAD, Role.SECTION_MANAGER,
                                     Role.WARD_ADMIN}),
    Action.EVENT_KINDS: frozenset({Role.WARD_ADMIN}),
    Action.REGISTRATION_VIEW: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                         Role.SECTION_MANAGER, Role.WARD_ADMIN}),
    # Public comment and surveys (record rules: madoguchi/opinions/access.py): a district's
    # own by its centre, ward-wide ones by section and centre staff, all by administrators.
    Action.OPINIONS_MANAGE: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                       Role.SECTION_MANAGER, Role.WARD_ADMIN}),
    # Community activity support (record rules: madoguchi/community/access.py): centre
    # staff book rooms, record exceptions, lend equipment and approve groups of their
    # district; the approving unit's staff its rooms; ward administrators everything.
    Action.COMMUNITY_ROOM_BOOK: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                           Role.SECTION_MANAGER, Role.WARD_ADMIN}),
    Action.COMMUNITY_ROOM_EDIT: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                           Role.SECTION_MANAGER, Role.WARD_ADMIN}),
    Action.COMMUNITY_LEND: frozenset({Role.DISTRICT_STAFF, Role.WARD_ADMIN}),
    Action.COMMUNITY_GROUPS: frozenset({Role.DISTRICT_STAFF, Role.WARD_ADMIN}),
    # The monthly draw is ward-wide: ward administrators run and annul it.
    Action.COMMUNITY_LOTTERY: frozenset({Role.WARD_ADMIN}),
    # Shelters (record rules: madoguchi/disaster/access.py): centre staff run the shelters
    # of their district (status, occupancy, needs); ward administrators any shelter.
    Action.SHELTER_OPERATE: frozenset({Role.DISTRICT_STAFF, Role.WARD_ADMIN}),
    # 避難行動要支援者名簿 (record rules: madoguchi/disaster/access.py): the district's centre
    # and its region's branch office (総合支所) see and register; named supporters (partner
    # accounts linked to a Supporter) see consenting people of their district, everyone of
    # it while a disaster is declared there.
    Action.REGISTRY_VIEW: CASEWORK_ROLES,
    Action.REGISTRY_EDIT: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                     Role.SECTION_MANAGER}),
    # Disaster mode (madoguchi/disaster/services/declarations.py): a ward administrator
    # asks, another one confirms; no record rule (the ward's switch).
    Action.DISASTER_DECLARE: frozenset({Role.WARD_ADMIN}),
    # District news (record rules: madoguchi/news/access.py): centre staff write and publish
    # their district's posts, section staff and managers write ward-wide ones, managers and
    # ward administrators publish those; nobody publishes a post they wrote (ADR 0044).
    Action.NEWS_WRITE: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                  Role.SECTION_MANAGER, Role.WARD_ADMIN}),
    Action.NEWS_PUBLISH: frozenset({Role.DISTRICT_STAFF, Role.SECTION_MANAGER,
                                    Role.WARD_ADMIN}),
    Action.NEWS_DELIVERY: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                     Role.SECTION_MANAGER, Role.WARD_ADMIN}),
    # LINE messages nobody took come to the ward's one account, not a district's (ADR 0052).
    Action.NEWS_INQUIRIES: frozenset({Role.SECTION_STAFF, Role.SECTION_MANAGER,
                                      Role.WARD_ADMIN}),
    # Digital signage (record rules: madoguchi/signage/access.py, ADR 0043, 0058): centre
    # staff write their centres' items and the centres' heads approve them (掲載基準);
    # branch-office staff write and approve region and ward-wide items; ward administrators
    # write any item, run the screens and, with branch-office managers for their region,
    # the emergency message.
    Action.SIGNAGE_WRITE: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                     Role.SECTION_MANAGER, Role.WARD_ADMIN}),
    Action.SIGNAGE_APPROVE: frozenset({Role.CENTRE_HEAD, Role.SECTION_STAFF,
                                       Role.SECTION_MANAGER}),
    Action.SIGNAGE_SCREENS: frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF,
                                       Role.SECTION_MANAGER, Role.WARD_ADMIN}),
    Action.SIGNAGE_EMERGENCY: frozenset({Role.SECTION_MANAGER, Role.WARD_ADMIN}),
}

# Where a role counts for an action only in some kinds of unit: the unit's SectionKind code
# must be listed. あんしんすこやかセンター and 社会福祉協議会 share the district centre's
# building and take consultations there; 児童館 and specialist agencies do not.
UNIT_KIND_LIMITS: dict[Action, dict[str, frozenset[str]]] = {
    Action.CONSULTATION_INTAKE: {Role.PARTNER_STAFF: frozenset({"anshin", "shakyo"})},
    **{action: {Role.PARTNER_STAFF: PARTY_PARTNER_KINDS} for action in (
        Action.COLLAB_RECORD_CREATE, Action.COLLAB_RECORD_VIEW, Action.COLLAB_RECORD_EDIT,
        Action.COLLAB_MEETING_VIEW, Action.COLLAB_MINUTES_EDIT, Action.COLLAB_ACTION_DONE,
        Action.COLLAB_ESCALATE, Action.COLLAB_ESCALATION_VIEW)},
}

InvolvementRule = Callable[["User"], Q | list[Q]]
_involvement_rules: list[InvolvementRule] = []


def register_involvement(rule: InvolvementRule) -> InvolvementRule:
    """Add a rule that lets a user see residents they are involved with."""
    if rule not in _involvement_rules:
        _involvement_rules.append(rule)
    return rule


def unregister_involvement(rule: InvolvementRule) -> None:
    if rule in _involvement_rules:
        _involvement_rules.remove(rule)


def memberships(user: User) -> list[Membership]:
    """The user's current memberships, loaded once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_current_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.current()
            .filter(user=user)
            .select_related("unit__kind", "unit__district__region", "unit__region")
        )
        user._current_memberships = cached
    return cached


def roles(user: User) -> set[str]:
    """The roles the user's current memberships count as (implied ones included)."""
    return {role for m in memberships(user) for role in role_covers(m.role)}


def memberships_for(user: User, action: Action) -> list[Membership]:
    """The user's current memberships whose role and unit may take ``action``."""
    allowed = ROLE_ACTIONS[action]
    limits = UNIT_KIND_LIMITS.get(action, {})
    return [
        m for m in memberships(user)
        if any(role in allowed and (role not in limits or (
            m.unit is not None and m.unit.kind.code in limits[role]))
            for role in role_covers(m.role))
    ]


def has_role_for(user: User, action: Action) -> bool:
    return bool(memberships_for(user, action))


def district_ids_for(user: User, action: Action) -> set[int]:
    """Districts of the units through which the user may take ``action``."""
    return {m.unit.district_id for m in memberships_for(user, action)
            if m.unit is not None and m.unit.district_id}


def own_section_ids(user: User, *, managers_only: bool = False) -> set[int]:
    """Sections the user staffs as section staff or manager (managers only, if asked)."""
    roles = {Role.SECTION_MANAGER} if managers_only else SECTION_ROLES
    return {m.unit_id for m in memberships(user) if role_covers(m.role) & roles and m.unit_id}


def own_district_ids(user: User, *, heads_only: bool = False) -> set[int]:
    """Districts whose centre the user staffs (heads, if asked: the districts whose centre
    the user is the head of, ADR 0058)."""
    role = Role.CENTRE_HEAD if heads_only else Role.DISTRICT_STAFF
    return {
        m.unit.district_id
        for m in memberships(user)
        if holds(m, role) and m.unit and m.unit.district_id
    }


def resident_scope_parts(user: User) -> list[Q]:
    """The ways ``user`` may see residents, each a Q over Resident (own districts, then
    each involvement rule that applies): a resident is visible when one of them matches.
    Lists over many residents query them as a UNION (people.search); none when the user
    may see nobody."""
    if not has_role_for(user, Action.RESIDENT_VIEW):
        return []
    parts = []
    districts = own_district_ids(user)
    if districts:
        parts.append(Q(district_id__in=districts))
    for rule in _involvement_rules:
        found = rule(user)
        for part in found if isinstance(found, list) else [found]:
            if part != Q(pk__in=[]):
                parts.append(part)
    return parts


def resident_scope(user: User) -> Q:
    """A Q over Resident selecting what ``user`` may see; matches nothing when none."""
    scope = Q(pk__in=[])
    for part in resident_scope_parts(user):
        scope |= part
    return scope


def visible_residents(user: User, queryset: QuerySet) -> QuerySet:
    return queryset.filter(resident_scope(user)).distinct()


RecordRule = Callable[["User", Any], bool]


class RecordRuleMissing(ImproperlyConfigured):
    """``can`` was asked about a record for an action whose owner registered no rule."""


@dataclass(frozen=True)
class _Registered:
    rule: RecordRule
    needs_record: bool


_record_rules: dict[Action, _Registered] = {}


def register_rule(action: Action, rule: RecordRule, *, needs_record: bool = False) -> RecordRule:
    """The record rule for ``action``: ``rule(user, obj) -> bool``, asked by ``can`` after
    the role gate. One rule per action, registered by the context that owns the record (in
    its ``AppConfig.ready``). ``needs_record``: without a record the answer is no (an
    action that only makes sense on one, e.g. viewing a resident)."""
    current = _record_rules.get(action)
    if current is not None and current.rule is not rule:
        raise ImproperlyConfigured(
            f"{action.value!r} already has a record rule ({_name(current.rule)}); "
            f"not registering {_name(rule)}")
    _record_rules[action] = _Registered(rule, needs_record)
    return rule


def unregister_rule(action: Action) -> None:
    _record_rules.pop(action, None)


def registered_rules() -> dict[Action, RecordRule]:
    """The record rules by action (a copy, for tests and checks)."""
    return {action: found.rule for action, found in _record_rules.items()}


def _name(rule: RecordRule) -> str:
    return f"{getattr(rule, '__module__', '?')}.{getattr(rule, '__qualname__', repr(rule))}"


def can(user: User, action: Action, obj: Any = None) -> bool:
    """Whether ``user`` may take ``action`` (on ``obj`` where the action concerns one).

    Without ``obj`` this is the role gate (may the user's role take the action at all?),
    except for actions registered with ``needs_record``. With ``obj`` the owner's record
    rule decides after the gate; an action without one raises ``RecordRuleMissing``."""
    registered = _record_rules.get(action)
    if obj is not None and registered is None:
        raise RecordRuleMissing(
            f"can(user, {action!s}, {type(obj).__name__}): no record rule is registered for "
            f"{action.value!r}; the app owning the record registers one with "
            "policy.register_rule in its AppConfig.ready (ADR 32)")
    if not has_role_for(user, action):
        return False
    if obj is None:
        return registered is None or not registered.needs_record
    return bool(registered.rule(user, obj))


def primary_membership(user: User) -> Membership | None:
    current = memberships(user)
    return current[0] if current else None


def requires_two_factor(user: User) -> bool:
    """Administrators must use TOTP; others may."""
    return Role.WARD_ADMIN in roles(user)
