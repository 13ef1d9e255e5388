"""Record rules are registered with the policy by the contexts that own the records (ADR 32):
``can(user, action, obj)`` asks the role gate, then the owner's rule, and refuses — loudly —
an action asked about a record that no owner gave a rule, instead of answering from the
role alone. Every place in the code that asks ``can`` about a record names an action that
has a rule."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import madoguchi
from madoguchi.accounts import policy
from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import Action, RecordRuleMissing, can
from madoguchi.organisation.models import District, Section

ROOT = Path(madoguchi.__file__).resolve().parent  # the madoguchi package


@pytest.fixture
def temporary_rule():
    """Register a rule for one test and take it away afterwards."""
    added: list[Action] = []

    def add(action: Action, rule, **options):
        assert action not in policy.registered_rules(), f"{action} already has a rule"
        policy.register_rule(action, rule, **options)
        added.append(action)

    yield add
    for action in added:
        policy.unregister_rule(action)


# ── can refuses an action without a record rule ────────────────────────────────────────

@pytest.mark.django_db
def test_can_refuses_a_record_for_an_action_without_a_rule(make_staff):
    admin = make_staff(Role.WARD_ADMIN)
    section = Section.objects.get(code="setagaya/hoken-fukushi")
    assert Action.ORG_EDIT not in policy.registered_rules()
    assert can(admin, Action.ORG_EDIT)  # the role gate alone, as the navigation asks
    with pytest.raises(RecordRuleMissing, match="org.edit"):
        can(admin, Action.ORG_EDIT, section)
    # The same whoever asks: the missing rule is the program's error, not the user's.
    auditor = make_staff(Role.AUDITOR)
    with pytest.raises(RecordRuleMissing):
        can(auditor, Action.ORG_EDIT, section)
    assert issubclass(RecordRuleMissing, ImproperlyConfigured)


@pytest.mark.django_db
def test_a_registered_rule_decides_after_the_role_gate(make_staff, temporary_rule):
    admin = make_staff(Role.WARD_ADMIN)
    desk = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    hoken = Section.objects.get(code="setagaya/hoken-fukushi")
    other = Section.objects.get(code="kitazawa/hoken-fukushi")
    asked: list[tuple] = []

    def only_hoken(user, section):
        asked.append((user.pk, section.pk))
        return section.pk == hoken.pk

    temporary_rule(Action.ORG_EDIT, only_hoken)
    assert can(admin, Action.ORG_EDIT, hoken)
    assert not can(admin, Action.ORG_EDIT, other)
    assert not can(desk, Action.ORG_EDIT, hoken)  # refused by the role gate: rule not asked
    assert asked == [(admin.pk, hoken.pk), (admin.pk, other.pk)]
    assert can(admin, Action.ORG_EDIT)  # without a record: the role gate


def test_one_rule_per_action(temporary_rule):
    def first(user, obj):
        return True

    def second(user, obj):
        return False

    temporary_rule(Action.ORG_EDIT, first)
    policy.register_rule(Action.ORG_EDIT, first)  # the same rule again (ready() twice): fine
    with pytest.raises(ImproperlyConfigured, match="already has a record rule"):
        policy.register_rule(Action.ORG_EDIT, second)
    assert policy.registered_rules()[Action.ORG_EDIT] is first


@pytest.mark.django_db
def test_actions_that_need_a_record_say_no_without_one(make_staff):
    desk = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    ikejiri = District.objects.get(code="ikejiri")
    assert not can(desk, Action.RESIDENT_VIEW)
    assert not can(desk, Action.RESIDENT_UPDATE)
    assert not can(desk, Action.CONSENT_RECORD)
    assert can(desk, Action.RESIDENT_CREATE)
    assert can(desk, Action.RESIDENT_CREATE, ikejiri)
    assert not can(desk, Action.RESIDENT_CREATE, District.objects.get(code="matsubara"))


# ── every action asked about a record has a rule ───────────────────────────────────────

def _consultation_transition_actions() -> set[Action]:
    from madoguchi.consultations import workflow

    return {t.action for t in workflow.TRANSITIONS}


def _application_actions() -> set[Action]:
    from madoguchi.applications import access

    return set(access.ACTIONS)


# Calls of ``can`` with a record whose action is not written as ``Action.X``: where they
# are (module, enclosing function) and which actions they may pass. A new such call fails
# ``test_every_action_asked_about_a_record_has_a_rule`` until it is declared here.
def _these(*actions: Action):
    return lambda: set(actions)


DYNAMIC_SITES = {
    ("consultations/access.py", "allowed_transitions"): _consultation_transition_actions,
    ("consultations/views/_common.py", "_transition_or_404"): _consultation_transition_actions,
    ("applications/services/_common.py", "_require_owner_or"): _application_actions,
    ("applications/services/notices.py", "staff_notice_open"): _application_actions,
    ("assessment/services.py", "assessment_return"): _these(
        Action.ASSESSMENT_CENTRE_APPROVE, Action.ASSESSMENT_BRANCH_APPROVE),
    ("counter/selectors.py", "offices_for"): _these(Action.COUNTER_SERVE, Action.COUNTER_LOG),
    ("counter/services.py", "_require"): _these(Action.COUNTER_SERVE),
    ("counter/views/_common.py", "_office"): _these(Action.COUNTER_SERVE, Action.COUNTER_LOG),
    ("participation/views/staff.py", "_event"): _these(
        Action.EVENT_MANAGE, Action.EVENT_APPROVE, Action.REGISTRATION_VIEW),
}


def _calls_with_a_record():
    """(module, function, line, action name or None) of every ``can(user, action, obj)``
    in the package."""
    for path in sorted(ROOT.rglob("*.py")):
        module = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.Call):
                    continue
                name = (node.func.id if isinstance(node.func, ast.Name)
                        else node.func.attr if isinstance(node.func, ast.Attribute) else "")
                if name != "can":
                    continue
                has_record = len(node.args) >= 3 or any(k.arg == "obj" for k in node.keywords)
                if not has_record:
                    continue
                action = node.args[1] if len(node.args) >= 2 else next(
                    (k.value for k in node.keywords if k.arg == "action"), None)
                literal = (action.attr if isinstance(action, ast.Attribute)
                           and isinstance(action.value, ast.Name) and action.value.id == "Action"
                           else None)
                yield module, function.name, node.lineno, literal


def test_every_action_asked_about_a_record_has_a_rule():
    calls = list(_calls_with_a_record())
    rules = policy.registered_rules()
    literal = {(m, f, line, a) for m, f, line, a in calls if a is not None}
    dynamic = {(m, f) for m, f, _line, a in calls if a is None}
    assert len(literal) > 50  # the scan finds the calls (services, views, selectors)
    missing = sorted(f"{m}:{line} {f}: Action.{a}" for m, f, line, a in literal
                     if Action[a] not in rules)
    assert not missing, f"asked about a record without a registered rule: {missing}"
    undeclared = sorted(dynamic - set(DYNAMIC_SITES))
    assert not undeclared, f"declare these calls of can() in DYNAMIC_SITES: {undeclared}"
    assert set(DYNAMIC_SITES) <= dynamic, "a declared call of can() is gone: update the list"
    for site, actions in DYNAMIC_SITES.items():
        without = sorted(a.value for a in actions() if a not in rules)
        assert not without, f"{site} may pass actions without a rule: {without}"


def test_every_rule_belongs_to_an_action_the_roles_know():
    """A rule never stands alone: its action is in the role table, so the gate runs first."""
    assert set(policy.registered_rules()) <= set(policy.ROLE_ACTIONS)


def test_section_roles_are_defined_once():
    copies = []
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == "SECTION_ROLES" for t in targets):
                    copies.append(path.relative_to(ROOT).as_posix())
    assert copies == ["accounts/policy/table.py"]
