"""Record rules (ADR 32): the rule each owning context registers per action, and ``can``,
which asks the role gate and then that rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

from madoguchi.accounts.policy.actions import Action
from madoguchi.accounts.policy.staff import has_role_for

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


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
