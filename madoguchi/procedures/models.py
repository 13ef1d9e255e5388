"""The catalogue of procedures (手続き) as data, versioned.

A ``Procedure`` is a stable code (the contract's ``jido-teate-nintei`` …) pointing at its
current published ``ProcedureVersion``. A version holds everything the ward defines about a
procedure — metadata, the form, attachments, fees, workflow, checklist, notice templates —
and is frozen once published: the database refuses to change a published row (trigger in
migration 0002), so an application that points at a version keeps the rules it was made
under. Editing a published procedure makes a new draft version (one draft at a time);
publishing it moves ``Procedure.current`` and nothing else.

The JSON columns hold the canonical form of the definition (``definition.py`` validates and
normalises it before any write); ``digest`` is the SHA-256 of that canonical definition, so
the loader can tell whether a data file changed.
"""

from __future__ import annotations

import json
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from madoguchi.core.language import english_or
from madoguchi.organisation.models import SectionKind

if TYPE_CHECKING:
    from madoguchi.procedures.formschema.spec import FormSpec
    from madoguchi.procedures.workflow import Workflow

CODE_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Path words of the staff pages; a procedure may not be called like one.
RESERVED_CODES = frozenset({"new", "staff", "manage", "life-events"})  # URL words


class Channel(models.TextChoices):
    COUNTER = "counter", _("窓口（総合支所・本庁）")
    ASSISTED = "assisted", _("まちづくりセンターで職員と一緒に")
    ONLINE = "online", _("オンライン")


class Identity(models.TextChoices):
    """How a resident proves who they are when applying online."""

    NONE = "none", _("本人確認なし")
    EMAIL = "email", _("メールのワンタイムリンク")
    STRONG = "strong", _("マイナンバーカード等による厳格な本人確認（OpenID Connect）")


# Change notes the system writes (stored in Japanese, shown in the page's language).
FILE_CREATED = gettext_noop("データファイルから作成")
FILE_CHANGED = gettext_noop("データファイルの変更を反映")
SYSTEM_CHANGE_NOTES = frozenset({FILE_CREATED, FILE_CHANGED})


class Origin(models.TextChoices):
    FILE = "file", _("データファイル")
    EDITOR = "editor", _("管理画面")


class Procedure(models.Model):
    code = models.CharField(_("手続きコード"), max_length=40, unique=True,
                            validators=[RegexValidator(CODE_PATTERN)])
    current = models.ForeignKey("ProcedureVersion", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+",
                                verbose_name=_("公開中の版"))
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("手続き")
        verbose_name_plural = _("手続き")

    def __str__(self) -> str:
        return self.code


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions",
                                  verbose_name=_("手続き"))
    number = models.PositiveIntegerField(_("版"))
    name = models.CharField(_("手続きの名前"), max_length=100)
    name_en = models.CharField(_("英語名"), max_length=200, blank=True)
    section_kind = models.ForeignKey(SectionKind, on_delete=models.PROTECT,
                                     related_name="procedure_versions",
                                     verbose_name=_("担当の課・機関の種別"))
    summary = models.TextField(_("手続きの説明"), blank=True)
    summary_en = models.TextField(_("手続きの説明（英語）"), blank=True)
    who_may_apply = models.TextField(_("申請できる人"), blank=True)
    who_may_apply_en = models.TextField(_("申請できる人（英語）"), blank=True)
    processing_days = models.PositiveSmallIntegerField(_("標準処理期間（開庁日）"), default=0)
    processing_note = models.CharField(_("処理期間の補足"), max_length=300, blank=True)
    processing_note_en = models.CharField(_("処理期間の補足（英語）"), max_length=600,
                                          blank=True)
    counter = models.BooleanField(_("窓口"), default=True)
    assisted = models.BooleanField(_("まちづくりセンターで職員と一緒に"), default=False)
    online = models.BooleanField(_("オンライン"), default=False)
    identity = models.CharField(_("オンラインの本人確認"), max_length=10,
                                choices=Identity.choices, default=Identity.NONE)
    fees = models.JSONField(_("手数料"), default=list, blank=True)
    fee_note = models.CharField(_("手数料の補足"), max_length=300, blank=True)
    fee_note_en = models.CharField(_("手数料の補足（英語）"), max_length=600, blank=True)
    attachments = models.JSONField(_("添付書類"), default=list, blank=True)
    form = models.JSONField(_("申請書の項目"), default=dict)
    workflow = models.JSONField(_("処理の流れ"), default=dict)
    checklist = models.JSONField(_("審査のチェックリスト"), default=list, blank=True)
    notices = models.JSONField(_("通知書のひな形"), default=list, blank=True)
    staff_note = models.TextField(_("内部メモ"), blank=True)
    digest = models.CharField(_("定義のハッシュ"), max_length=64)
    origin = models.CharField(_("作成元"), max_length=10, choices=Origin.choices,
                              default=Origin.EDITOR)
    change_note = models.CharField(_("変更の内容"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("作成者"))
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("公開した人"))

    class Meta:
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"],
                                    name="procedure_version_number"),
            models.UniqueConstraint(fields=["procedure"], condition=Q(published_at__isnull=True),
                                    name="procedure_one_draft"),
            models.CheckConstraint(condition=Q(number__gte=1), name="procedure_version_from_1"),
        ]
        verbose_name = _("手続きの版")
        verbose_name_plural = _("手続きの版")

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def code(self) -> str:
        return self.procedure.code

    @property
    def channels(self) -> list[str]:
        return [c.value for c in Channel if getattr(self, c.value)]

    def get_channels_display(self) -> list[str]:
        return [str(c.label) for c in Channel if getattr(self, c.value)]

    @property
    def display_name(self) -> str:
        """The name in the active language (Japanese when no English name is given)."""
        return english_or(self.name, self.name_en)

    @property
    def display_summary(self) -> str:
        return english_or(self.summary, self.summary_en)

    @property
    def display_change_note(self) -> str:
        if self.change_note in SYSTEM_CHANGE_NOTES:
            return gettext(self.change_note)
        return self.change_note

    @property
    def display_who_may_apply(self) -> str:
        return english_or(self.who_may_apply, self.who_may_apply_en)

    @property
    def display_processing_note(self) -> str:
        return english_or(self.processing_note, self.processing_note_en)

    @property
    def display_fee_note(self) -> str:
        return english_or(self.fee_note, self.fee_note_en)

    @cached_property
    def form_spec(self) -> FormSpec:
        from madoguchi.procedures.formschema.parse import parse_form

        return parse_form(self.form)

    @cached_property
    def workflow_spec(self) -> Workflow:
        # Parsed once per distinct workflow in the process: a list of 50 applications has
        # 50 version instances but a handful of workflows (the spec is frozen data).
        return _parsed_workflow(json.dumps(self.workflow, sort_keys=True, ensure_ascii=False))

    def definition(self) -> dict[str, Any]:
        """The version as the data-file shape (see ``definition.py``)."""
        from madoguchi.procedures.definition import definition_of

        return definition_of(self)


@lru_cache(maxsize=512)
def _parsed_workflow(text: str) -> Workflow:
    from madoguchi.procedures.workflow import parse_workflow

    return parse_workflow(json.loads(text))
