"""Things a record may refer to, across contexts that may not import each other (ADR
0061): a consultation or a trouble record points to an event of participation (a resident
referred to a smartphone class, issue 15 item 6), though consultations is far below
participation and collaboration beside it.

The context owning the things registers a *kind* (``register_kind``): how to show one by
its key (``resolve``) and which ones staff may choose (``choices``). A record stores only
the kind and the key (``Reference``, an abstract model each referring context subclasses
with its record's foreign key; ``attach`` adds one, ``detach`` removes one added by
mistake) and shows the label and link ``resolve`` gives. The
referring contexts register a *counter* (``register_counter``): how many of their records
point to a thing, so that its page shows counts and no personal data. Core imports none
of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Target:
    kind: str
    key: str
    label: str
    url: str  # the staff's page of the thing


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    resolve: Callable[[str], Target | None]
    choices: Callable[[], list[tuple[str, str]]]


_kinds: dict[str, Kind] = {}
_counters: dict[str, tuple[str, Callable[[str, str], int]]] = {}


def register_kind(kind: Kind) -> None:
    if _kinds.get(kind.code, kind) is not kind:
        raise ValueError(f"reference kind {kind.code!r} is registered already")
    _kinds[kind.code] = kind


def register_counter(name: str, label: str, count: Callable[[str, str], int]) -> None:
    """``count(kind, key)``: how many records of the registering context point there."""
    found = _counters.get(name)
    if found is not None and found[1] is not count:
        raise ValueError(f"reference counter {name!r} is registered already")
    _counters[name] = (label, count)


def kinds() -> list[Kind]:
    return list(_kinds.values())


def resolve(kind: str, key: str) -> Target | None:
    """The thing ``kind``/``key`` names, or None (unknown kind, gone, or no longer shown)."""
    found = _kinds.get(kind)
    return found.resolve(key) if found is not None and key else None


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every kind's choices as (kind label, [(``kind:key``, label)]) for a grouped select."""
    return [(str(kind.label), [(f"{kind.code}:{key}", label) for key, label in kind.choices()])
            for kind in _kinds.values()]


def split(value: str) -> tuple[str, str]:
    """``kind:key`` from a form into its two parts ("" for a missing part)."""
    kind, _sep, key = (value or "").partition(":")
    return kind.strip(), key.strip()


def checked(value: str) -> Target:
    """The thing a form's ``kind:key`` names; a ValidationError (Japanese) if none."""
    target = resolve(*split(value))
    if target is None:
        raise ValidationError(
            _("参照先を一覧から選んでください（見つからないか、もう選べないものです）。"),
            code="reference")
    return target


def attach(model: type[R], *, owner_field: str, owner, value: str, by) -> R:
    """A new row of ``model`` (a ``Reference``) pointing ``owner`` to the thing ``value``
    names; a ValidationError (Japanese) if none or if it is there already. The caller
    checks who may and audits, in its transaction."""
    target = checked(value)
    lookup = {owner_field: owner, "kind": target.kind, "key": target.key}
    if model._default_manager.filter(**lookup).exists():
        raise ValidationError(gettext("「%(label)s」はすでに追加されています。")
                              % {"label": target.label}, code="duplicate")
    return model._default_manager.create(**lookup, added_by=by)


def detach(model: type[R], *, owner_field: str, owner, pk) -> R:
    """Delete the row ``pk`` of ``model`` (a ``Reference``) if it is ``owner``'s; a
    ValidationError (Japanese) if there is none such (another record's, gone, or not a
    number). Returns the removed row. The caller checks who may and audits, in its
    transaction."""
    text = str(pk if pk is not None else "").strip()
    found = (model._default_manager.select_for_update()
             .filter(pk=int(text), **{owner_field: owner}).first()
             if text.isdecimal() and len(text) < 19 else None)
    if found is None:
        raise ValidationError(
            _("外す参照が見つかりません（この記録のものでないか、もう外されています）。"),
            code="reference")
    found.delete()
    return found


def counts(kind: str, key: str) -> list[tuple[str, int]]:
    """How many records of each referring context point to ``kind``/``key``."""
    return [(str(label), count(kind, key)) for label, count in _counters.values()]


class Reference(models.Model):
    """A record's pointer to a thing of another context: the kind and key only."""

    kind = models.CharField(_("参照先の種類"), max_length=40)
    key = models.CharField(_("参照先"), max_length=64)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("追加した職員"))
    added_at = models.DateTimeField(_("追加日時"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["added_at", "pk"]

    @property
    def target(self) -> Target | None:
        return resolve(self.kind, self.key)


R = TypeVar("R", bound=Reference)
