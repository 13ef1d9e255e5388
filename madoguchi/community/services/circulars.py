"""Digital circulars (回覧板, issue 16 item 2): the district centre or a group posts a
circular (text, PDF and images through the files context) to one group's households or to
those of every registered group of the district; each household with an e-mail address
is mailed a link of its own, whose first opening is its read receipt; households without a
device read the printed circular and the group or the centre records that on paper.

Everything is checked before anything is written (the files are checked, outside the
transaction, before the circular is created; a refused file keeps nothing); the circular,
its files and its receipts are one transaction, and the mails leave after it commits.
Households' names and addresses are personal data: written and listed audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.community import messages
from madoguchi.community.errors import CommunityError
from madoguchi.community.models import (
    Circular,
    CircularAttachment,
    CircularAudience,
    CircularReceipt,
    Group,
    GroupContact,
    GroupStatus,
    Household,
)
from madoguchi.community.opening import ward_tz
from madoguchi.core.tokens import digest
from madoguchi.files import services as files
from madoguchi.files.policy import JPEG, PDF, PNG, FilePolicy
from madoguchi.organisation.models import District

PURPOSE = "circular"
POLICY = FilePolicy(PURPOSE, (PDF, JPEG, PNG), cast(str, gettext_lazy("回覧板の添付")))
MAX_FILES = 5
HOUSEHOLD_FIELDS = ("name", "email")


@dataclass(frozen=True)
class Upload:
    """A file sent with a circular, as uploaded (its name is only kept by files)."""

    data: UploadedFile | bytes
    name: str


def _error(message: str, code: str) -> CommunityError:
    return CommunityError(message, code=code)


def _contact_ref(contact: GroupContact) -> str:
    return f"group-contact:{contact.pk}"


LANGUAGES = ("ja", "en")


def household_add(*, group: Group, name: str, email: str, contact: GroupContact,
                  source: str, language: str = "ja") -> Household:
    """The group's representative registers a member household (an e-mail address if it
    reads circulars online; none: it reads them on paper) and the language of its mails
    (Japanese or English)."""
    if contact.group_id != group.pk or not group.is_approved:
        raise PermissionDenied(_("この団体の世帯を登録する権限がありません。"))
    name, email = (name or "").strip(), (email or "").strip()
    if not name:
        raise _error(_("世帯名を入力してください（例: 山田家）。"), "household_name")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise _error(_("メールアドレスを正しく入力してください（例: name@example.jp）。"
                           "紙で回覧する世帯は空欄にしてください。"), "household_email") from None
    language = language or "ja"
    if language not in LANGUAGES:
        raise _error(_("メールの言語は日本語か英語を選んでください。"), "household_language")
    try:
        with transaction.atomic():
            household = Household.objects.create(group=group, name=name[:80], email=email,
                                                 language=language)
            audit.record(actor=None, portal_ref=_contact_ref(contact),
                         action=AuditAction.CREATE, record_type="community.household",
                         record_id=household.public_id, source=source,
                         fields=HOUSEHOLD_FIELDS)
    except IntegrityError:
        raise _error(_("「%(name)s」はすでに登録されています。") % {"name": name[:80]},
                     "household_twice") from None
    return household


def _recipients(audience: str, district: District, to_group: Group | None) -> list[Household]:
    if audience == CircularAudience.GROUP:
        rows = Household.objects.filter(group=to_group)
    else:
        rows = Household.objects.filter(group__districts=district,
                                         group__status=GroupStatus.APPROVED)
    return list(rows.order_by("pk").distinct())


def _check_sender(*, audience: str, district: District, to_group: Group | None,
                  by: User | None, contact: GroupContact | None) -> None:
    if audience not in CircularAudience.values:
        raise _error(_("回覧先を選んでください。"), "audience")
    if audience == CircularAudience.GROUP:
        if to_group is None:
            raise _error(_("回覧先の団体を選んでください。"), "to_group")
        if to_group.status != GroupStatus.APPROVED:
            raise _error(_("「%(group)s」は登録済みの団体ではありません。")
                         % {"group": to_group.name}, "to_group")
    if by is not None and contact is None:  # the centre: its own district (admins: all)
        target = to_group if audience == CircularAudience.GROUP else district
        if not can(by, Action.COMMUNITY_GROUPS, target):
            raise PermissionDenied(_("この地区に回覧板を出す権限がありません。"))
        return
    if contact is None or by is not None:
        raise ValueError("a circular is posted by a staff member or by a group's contact")
    group = contact.group
    if not group.is_approved or not contact.is_representative:
        raise PermissionDenied(_("この団体の登録は現在有効ではありません。"))
    if to_group is not None and audience == CircularAudience.GROUP and to_group.pk != group.pk:
        raise _error(_("回覧板は自分の団体の会員にだけ出せます"
                       "（「%(group)s」の会員ではありません）。")
                     % {"group": to_group.name}, "not_member")
    if audience == CircularAudience.DISTRICT and not group.districts.filter(
            pk=district.pk).exists():
        raise _error(_("「%(district)s」は%(group)sの活動地区ではありません。")
                     % {"district": district.label, "group": group.name}, "not_member")


def _checked_files(uploads: Sequence[Upload]) -> list[files.CheckedFile]:
    """Each file checked (size, type, viruses) before anything is written; when one is
    refused, those checked before it are discarded too."""
    if len(uploads) > MAX_FILES:
        raise _error(_("添付できるファイルは%(count)d個までです。") % {"count": MAX_FILES},
                     "files")
    checked: list[files.CheckedFile] = []
    try:
        for upload in uploads:
            checked.append(files.file_check(data=upload.data, name=upload.name,
                                            purpose=PURPOSE))
    except files.FileRefused as refused:
        for done in checked:
            done.discard()
        raise _error(_("「%(name)s」: %(reason)s") % {"name": upload.name,
                                                      "reason": refused.message},
                     "file") from None
    return checked


def circular_post(*, title: str, body: str, audience: str, district: District,
                  to_group: Group | None = None, uploads: Sequence[Upload] = (),
                  is_public: bool = False, due_on: dt.date | None = None, origin: str,
                  source: str, by: User | None = None,
                  contact: GroupContact | None = None) -> Circular:
    """Post a circular: by the centre's staff (``by``) or a group's representative
    (``contact``); ``to_group`` for the audience ``group``. Raises CommunityError (with a
    Japanese message; nothing is saved) or PermissionDenied. ``due_on``: the households
    that have not read it by then are reminded once (``circulars_remind``)."""
    title, body = (title or "").strip(), (body or "").replace("\r\n", "\n").strip()
    if not title:
        raise _error(_("件名を入力してください。"), "title")
    if not body:
        raise _error(_("本文を入力してください。空の回覧板は出せません。"), "body")
    if len(title) > 120 or len(body) > 5000:
        raise _error(_("件名は120字以内、本文は5,000字以内で入力してください。"), "length")
    if due_on is not None and due_on < timezone.localdate():
        raise _error(_("回覧の期限に過去の日は指定できません。"), "due_on")
    _check_sender(audience=audience, district=district, to_group=to_group, by=by,
                  contact=contact)
    households = _recipients(audience, district,
                             to_group if audience == CircularAudience.GROUP else None)
    if not households:
        raise _error(_("回覧先の世帯がありません。団体のページで会員の世帯を登録してから"
                       "出してください。"), "no_recipients")
    checked = _checked_files(uploads)
    try:
        with transaction.atomic():
            circular = Circular.objects.create(
                district=district, audience=audience,
                to_group=to_group if audience == CircularAudience.GROUP else None,
                sender_group=contact.group if contact is not None else None, sent_by=by,
                title=title, body=body, is_public=is_public, due_on=due_on)
            for one in checked:
                stored = files.file_store(data=one, name=one.name, purpose=PURPOSE, by=by)
                CircularAttachment.objects.create(circular=circular, file=stored)
            receipts = CircularReceipt.objects.bulk_create(
                CircularReceipt(circular=circular, household=h) for h in households)
            for receipt, household in zip(receipts, households, strict=True):
                if household.email:
                    messages.circular_notice(receipt_id=receipt.pk, origin=origin)
    except BaseException:
        for one in checked:
            one.discard()
        raise
    return circular


def _by_link(token: str):
    """The receipts a household's link names: the circular's mail or its reminder."""
    key = digest(token)
    return CircularReceipt.objects.filter(Q(digest=key) | Q(reminder_digest=key))


def circular_open(*, token: str) -> CircularReceipt:
    """A household opened its link (the circular's mail or its reminder): the first
    opening is the read receipt."""
    with transaction.atomic():
        receipt = _by_link(token).select_for_update().first() if token else None
        if receipt is None:
            raise _error(_("このリンクは使えません。届いたメールのリンクをもう一度開くか、"
                           "団体の代表者にお問い合わせください。"), "link")
        receipt_mark_read(receipt=receipt)
    return CircularReceipt.objects.select_related(
        "circular__sender_group", "circular__district", "household").get(pk=receipt.pk)


def receipt_mark_read(*, receipt: CircularReceipt) -> CircularReceipt:
    """The household's read receipt (its own link's holder only): idempotent, the first
    reading's time is kept; a second call changes nothing."""
    CircularReceipt.objects.filter(pk=receipt.pk, read_at__isnull=True).update(
        read_at=timezone.now())
    receipt.refresh_from_db(fields=["read_at", "on_paper"])
    return receipt


def _overdue(today: dt.date):
    """Unread receipts of circulars past their due date (or posted the setting's days
    ago, without one) that were never reminded."""
    cutoff = dt.datetime.combine(
        today - dt.timedelta(days=settings.COMMUNITY_CIRCULAR_REMIND_DAYS) + dt.timedelta(
            days=1), dt.time(0), ward_tz())
    return CircularReceipt.objects.filter(read_at__isnull=True,
                                          reminder_queued_at__isnull=True).filter(
        Q(circular__due_on__lt=today)
        | Q(circular__due_on__isnull=True, circular__posted_at__lt=cutoff))


def circulars_remind(*, today: dt.date | None = None, origin: str | None = None) -> int:
    """Daily (the task worker): each household that has not read a circular by its due
    date, or ``COMMUNITY_CIRCULAR_REMIND_DAYS`` after it was posted without one, is
    reminded once. Households with an address are mailed a link of their own after
    commit; those without stay on the printed list to sign off (nothing is sent). Marked
    in the same transaction as the mails are queued, so a second run (or two at once)
    reminds nobody again. Returns how many reminders were queued."""
    today = today or timezone.localdate()
    origin = origin or settings.COMMUNITY_PUBLIC_ORIGIN
    count = 0
    with transaction.atomic():
        now = timezone.now()
        for receipt_id in _overdue(today).exclude(household__email="").order_by(
                "pk").values_list("pk", flat=True):
            # Each row claimed by a conditional write: a run at the same time claims it
            # or not, never both (the letter's own claim guards the send once more).
            if CircularReceipt.objects.filter(pk=receipt_id,
                                              reminder_queued_at__isnull=True).update(
                    reminder_queued_at=now):
                messages.circular_reminder_notice(receipt_id=receipt_id, origin=origin)
                count += 1
    return count


def receipt_confirm_paper(*, receipt: CircularReceipt, by: User | None = None,
                          contact: GroupContact | None = None) -> CircularReceipt:
    """The group or the centre records that a household read the printed circular."""
    circular = receipt.circular
    if contact is not None:
        allowed = contact.group_id == receipt.household.group_id or \
            contact.group_id == circular.sender_group_id
    else:
        allowed = by is not None and can(by, Action.COMMUNITY_GROUPS, circular.district)
    if not allowed:
        raise PermissionDenied(_("この回覧板の既読を記録する権限がありません。"))
    with transaction.atomic():
        updated = CircularReceipt.objects.filter(pk=receipt.pk, read_at__isnull=True).update(
            read_at=timezone.now(), on_paper=True)
    if not updated:
        raise _error(_("この世帯はすでに既読です。"), "already_read")
    receipt.refresh_from_db()
    return receipt
