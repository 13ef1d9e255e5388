"""The knowledge base, the ward-editable synonyms, the search index and the learning loop.

Entries are edited by staff and seen by residents only once published. The search index
(``IndexedEntry`` + ``Posting``) holds published entries only; it is rebuilt by the
services whenever an entry or a synonym changes, never by ``save()`` or signals.
The logs (``QueryLog``, ``Feedback``) never hold personal data: the services mask digits,
e-mail addresses and phone numbers and cut the text to 200 characters before saving.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.core.appendonly import AppendOnlyModel
from madoguchi.organisation.models import SectionKind

LOG_TEXT_MAX = 200


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    REVIEW = "review", _("確認待ち")
    PUBLISHED = "published", _("公開中")


class Entry(models.Model):
    """One question and its answer, owned by the section kind that handles it."""

    code = models.SlugField(_("コード"), max_length=80, unique=True)
    question = models.CharField(_("質問"), max_length=300)
    answer = models.TextField(_("回答"))
    easy_answer = models.TextField(_("やさしい日本語の回答"), blank=True)
    question_en = models.CharField(_("質問（英語）"), max_length=300, blank=True)
    answer_en = models.TextField(_("回答（英語）"), blank=True)
    section_kind = models.ForeignKey(SectionKind, on_delete=models.PROTECT,
                                     related_name="guidance_entries",
                                     verbose_name=_("担当する課・機関の種別"))
    procedure_codes = models.JSONField(_("関連する手続のコード"), default=list, blank=True)
    keywords = models.JSONField(_("キーワード"), default=list, blank=True)
    status = models.CharField(_("状態"), max_length=10, choices=EntryStatus.choices,
                              default=EntryStatus.DRAFT, db_index=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="+",
                                          verbose_name=_("状態を変えた職員"))
    status_changed_at = models.DateTimeField(_("状態を変えた日時"), null=True, blank=True)
    reviewed_on = models.DateField(_("最終確認日"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["section_kind__sort_order", "code"]
        verbose_name = _("よくある質問")
        verbose_name_plural = _("よくある質問")

    def __str__(self) -> str:
        return self.question

    @property
    def is_published(self) -> bool:
        return self.status == EntryStatus.PUBLISHED


class EntryStatusChange(AppendOnlyModel):
    """Append-only history of an entry's status (who, when, note); the database refuses
    changes too (``core.migration_sql.append_only``), so an entry with a history is never
    deleted."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=EntryStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=EntryStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["entry", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.from_status} -> {self.to_status}"


class Synonym(models.Model):
    """A group of words that mean the same: the canonical term and its variants.

    The ward edits these (国保 = 国民健康保険, moving = 引っ越し …); queries and entries are
    both rewritten to the canonical term before indexing and search.
    """

    canonical = models.CharField(_("代表の語"), max_length=60, unique=True)
    variants = models.JSONField(_("言い換え"), default=list)
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["canonical"]
        verbose_name = _("同義語")
        verbose_name_plural = _("同義語")

    def __str__(self) -> str:
        return self.canonical


class IndexedEntry(models.Model):
    """An entry as the index sees it: its section kind, whether it is published, and its
    field lengths (question, keywords, answer, reading bigrams)."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, primary_key=True,
                                 related_name="indexed")
    section_kind = models.ForeignKey(SectionKind, on_delete=models.CASCADE, related_name="+")
    # Unpublished entries are indexed too, under marked terms (see index.DRAFT_MARK), so
    # that staff find drafts; residents' searches never read those terms.
    published = models.BooleanField(default=True)
    len_q = models.PositiveIntegerField(default=0)
    len_k = models.PositiveIntegerField(default=0)
    len_a = models.PositiveIntegerField(default=0)
    len_r = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.entry_id)


class IndexStats(models.Model):
    """Mean field lengths of the last full rebuild (one row). Impacts are computed with
    these, so re-indexing one entry does not change every other entry's impacts."""

    docs = models.PositiveIntegerField(default=0)
    avg_q = models.FloatField(default=1.0)
    avg_k = models.FloatField(default=1.0)
    avg_a = models.FloatField(default=1.0)
    avg_r = models.FloatField(default=1.0)
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.docs} entries"


class Posting(models.Model):
    """One term of one indexed entry with its quantised impact (the term-frequency part of
    BM25F, × 1000). Integers, so sums are exact and equal on every database."""

    term = models.CharField(max_length=64)
    doc = models.ForeignKey(IndexedEntry, on_delete=models.CASCADE, related_name="postings")
    impact = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["term", "doc", "impact"],
                                name="guidance_posting_term_doc")]
        constraints = [models.UniqueConstraint(fields=["doc", "term"],
                                               name="guidance_posting_once")]

    def __str__(self) -> str:
        return self.term


class QueryReason(models.TextChoices):
    NO_ANSWER = "no_answer", _("答えが見つからない")
    NOT_HELPFUL = "not_helpful", _("役に立たなかった")


class QueryLog(models.Model):
    """A question the knowledge base could not answer well (masked, at most 200 characters)."""

    text = models.CharField(_("質問（個人情報を伏せたもの）"), max_length=LOG_TEXT_MAX)
    reason = models.CharField(_("理由"), max_length=12, choices=QueryReason.choices)
    entry = models.ForeignKey(Entry, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("表示した回答"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["reason", "text"], name="guidance_querylog_text")]
        verbose_name = _("答えられなかった質問")
        verbose_name_plural = _("答えられなかった質問")

    def __str__(self) -> str:
        return self.text


class Feedback(models.Model):
    """A resident's or staff member's vote on one answer ("helpful" or not)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="feedback",
                              verbose_name=_("回答"))
    helpful = models.BooleanField(_("役に立った"))
    query = models.CharField(_("質問（個人情報を伏せたもの）"), max_length=LOG_TEXT_MAX,
                             blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("回答への評価")
        verbose_name_plural = _("回答への評価")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.helpful}"
