"""The centre head (まちづくりセンター所長, ADR 0058): a role of a district centre that implies
district staff of the same centre, and the only district-tier role the centre's approvals
are open to. The approvals' record rules (owned by participation, signage, collaboration and
assessment) take the head of *that* district only."""

from __future__ import annotations

import pytest

from madoguchi.accounts import policy
from madoguchi.accounts.models import ROLE_UNIT_TIERS, Membership, Role
from madoguchi.accounts.policy import Action, can, has_role_for, own_district_ids
from madoguchi.accounts.services import MembershipError, validate_membership
from madoguchi.organisation.models import District, Section, Tier

IKEJIRI = "setagaya/ikejiri/machizukuri-center"
TAISHIDO = "setagaya/taishido/machizukuri-center"
CENTRE_APPROVALS = (Action.EVENT_APPROVE, Action.SIGNAGE_APPROVE,
                    Action.COLLAB_MINUTES_APPROVE, Action.ASSESSMENT_CENTRE_APPROVE)

pytestmark = pytest.mark.django_db


def district_id(code: str) -> int:
    return District.objects.get(code=code).pk


def test_the_role_is_a_district_centres_and_is_labelled_in_both_languages(setagaya):
    from django.utils import translation

    assert ROLE_UNIT_TIERS[Role.CENTRE_HEAD] == {Tier.DISTRICT}
    validate_membership(Role.CENTRE_HEAD, Section.objects.get(code=IKEJIRI))
    for wrong in (None, Section.objects.get(code="setagaya/hoken-fukushi"),
                  Section.objects.get(code="setagaya/ikejiri/anshin")):
        with pytest.raises(MembershipError):
            validate_membership(Role.CENTRE_HEAD, wrong)
    assert str(Role.CENTRE_HEAD.label) == "まちづくりセンター所長"
    with translation.override("en"):
        assert str(Role.CENTRE_HEAD.label) == "District centre head"


def test_the_head_counts_as_district_staff_of_the_centre_but_not_the_reverse(make_staff):
    head = make_staff(Role.CENTRE_HEAD, IKEJIRI)
    staff = make_staff(Role.DISTRICT_STAFF, IKEJIRI)
    assert policy.roles(head) == {Role.CENTRE_HEAD, Role.DISTRICT_STAFF}
    assert policy.roles(staff) == {Role.DISTRICT_STAFF}
    assert own_district_ids(head) == own_district_ids(staff) == {district_id("ikejiri")}
    assert own_district_ids(head, heads_only=True) == {district_id("ikejiri")}
    assert own_district_ids(staff, heads_only=True) == set()
    assert policy.roles_holding(Role.DISTRICT_STAFF) == {Role.DISTRICT_STAFF, Role.CENTRE_HEAD}
    assert policy.roles_holding(Role.CENTRE_HEAD) == {Role.CENTRE_HEAD}


def test_every_action_open_to_district_staff_is_open_to_the_head(make_staff):
    head = make_staff(Role.CENTRE_HEAD, IKEJIRI)
    staff = make_staff(Role.DISTRICT_STAFF, IKEJIRI)
    for action in Action:
        if has_role_for(staff, action):
            assert has_role_for(head, action), action
    # The table names district staff, not the head, for what the staff do.
    assert Role.CENTRE_HEAD not in policy.ROLE_ACTIONS[Action.RESIDENT_CREATE]
    assert can(head, Action.RESIDENT_CREATE)


@pytest.mark.parametrize("action", CENTRE_APPROVALS)
def test_the_centres_approvals_are_the_heads_not_the_staffs(make_staff, action):
    assert Role.CENTRE_HEAD in policy.ROLE_ACTIONS[action]
    assert Role.DISTRICT_STAFF not in policy.ROLE_ACTIONS[action]
    assert has_role_for(make_staff(Role.CENTRE_HEAD, IKEJIRI), action)
    assert not has_role_for(make_staff(Role.DISTRICT_STAFF, IKEJIRI), action)


@pytest.mark.parametrize("action", CENTRE_APPROVALS)
def test_the_approvals_have_a_registered_record_rule(action):
    assert action in policy.registered_rules()


def test_the_branch_offices_steps_stay_with_the_branch(make_staff):
    head = make_staff(Role.CENTRE_HEAD, IKEJIRI)
    assert not has_role_for(head, Action.ASSESSMENT_BRANCH_APPROVE)
    assert policy.ROLE_ACTIONS[Action.ASSESSMENT_BRANCH_APPROVE] == {Role.SECTION_MANAGER}
    assert {Role.SECTION_STAFF, Role.SECTION_MANAGER} <= policy.ROLE_ACTIONS[
        Action.SIGNAGE_APPROVE]


def test_an_ended_headship_leaves_neither_the_approvals_nor_the_centre(make_staff):
    import datetime as dt

    from madoguchi.accounts.models import User

    head = make_staff(Role.CENTRE_HEAD, IKEJIRI)
    Membership.objects.filter(user=head).update(valid_from=dt.date(2020, 4, 1),
                                                valid_until=dt.date(2024, 3, 31))
    head = User.objects.get(pk=head.pk)  # fresh: no cached memberships
    assert policy.roles(head) == set()
    assert not has_role_for(head, Action.EVENT_APPROVE)
    assert own_district_ids(head) == set()


def test_notices_to_a_districts_centre_staff_reach_its_head(make_staff):
    from madoguchi.disaster.messages import plan_review_letters

    head = make_staff(Role.CENTRE_HEAD, IKEJIRI)
    head.email = "shocho@example.jp"
    head.save(update_fields=["email"])
    other_head = make_staff(Role.CENTRE_HEAD, TAISHIDO)  # another district's: not told
    other_head.email = "other@example.jp"
    other_head.save(update_fields=["email"])
    letters = plan_review_letters({"district": district_id("ikejiri"), "count": 2}, None)
    assert [letter.recipient.address for letter in letters] == ["shocho@example.jp"]
