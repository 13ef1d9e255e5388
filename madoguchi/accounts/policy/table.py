"""The role table: which roles may take an action at all (``ROLE_ACTIONS``), in which
kinds of unit (``UNIT_KIND_LIMITS``), and the roles a role implies (``ROLE_IMPLIES``, ADR
0058), with the sets of roles the table names."""

from __future__ import annotations

from madoguchi.accounts.models import Membership, Role
from madoguchi.accounts.policy.actions import Action

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
# ``can``; lists use the owners' queryset scopes (``resident_scope`` for residents).
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
