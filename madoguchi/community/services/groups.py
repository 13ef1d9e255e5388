"""The groups registry (issue 16 item 1): apply online without an account, approval by the
centre, and an e-mail login link for the representatives.

The contacts are personal data: the application (by the applicant, named in the trail by
the contact it created), the approval's view and every change are audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.community import messages
from madoguchi.community.errors import CommunityError
from madoguchi.community.models import (
    Group,
    GroupContact,
    GroupKind,
    GroupLogin,
    GroupStatus,
)
from madoguchi.core.tokens import digest
from madoguchi.organisation.models import District, DistrictCentre

LOGIN_MINUTES = 30
CONTACT_FIELDS = ("name", "email", "phone")


@dataclass(frozen=True)
class ContactInput:
    name: str
    email: str
    phone: str = ""


def _error(message: str, code: str) -> CommunityError:
    return CommunityError(message, code=code)


def portal_ref(contact: GroupContact) -> str:
    """How a group's representative is named in the audit trail (no account)."""
    return f"group-contact:{contact.pk}"


def _contact(value: ContactInput) -> ContactInput:
    name, email, phone = value.name.strip(), value.email.strip(), value.phone.strip()
    if not name:
        raise _error(_("代表者の氏名を入力してください。"), "contact_name")
    try:
        validate_email(email)
    except ValidationError:
        raise _error(_("代表者のメールアドレスを正しく入力してください（例: name@example.jp）。"),
                     "contact_email") from None
    return ContactInput(name=name[:80], email=email, phone=phone[:20])


def group_apply(*, name: str, kind: str, centre: DistrictCentre,
                districts: Sequence[District], members_count: int, activity: str,
                public_profile: bool, contacts: Sequence[ContactInput]) -> Group:
    """An online application (no account): the group waits for the centre's approval."""
    name, activity = (name or "").strip(), (activity or "").strip()
    if not name:
        raise _error(_("団体名を入力してください。"), "name")
    if kind not in GroupKind.values:
        raise _error(_("団体の種別を選んでください。"), "kind")
    if not districts:
        raise _error(_("活動する地区を1つ以上選んでください。"), "districts")
    if members_count < 1:
        raise _error(_("会員数を1人以上で入力してください。"), "members")
    if not activity:
        raise _error(_("活動内容を入力してください。"), "activity")
    if not contacts:
        raise _error(_("代表者を1人以上入力してください。"), "contacts")
    cleaned = [_contact(c) for c in contacts]
    with transaction.atomic():
        group = Group.objects.create(name=name[:120], kind=kind, centre=centre,
                                     members_count=members_count, activity=activity[:2000],
                                     public_profile=public_profile)
        group.districts.set(districts)
        rows = [GroupContact.objects.create(group=group, name=c.name, email=c.email,
                                            phone=c.phone, is_representative=True)
                for c in cleaned]
        for row in rows:
            audit.record(actor=None, portal_ref=portal_ref(rows[0]), action=AuditAction.CREATE,
                         record_type="community.group_contact", record_id=row.pk,
                         source="community:group_apply", fields=CONTACT_FIELDS)
    return group


def group_decide(*, group: Group, by: User, approve: bool) -> Group:
    """The centre approves (or refuses) an application."""
    if not can(by, Action.COMMUNITY_GROUPS, group):
        raise PermissionDenied(_("この団体を承認する権限がありません。"))
    with transaction.atomic():
        locked = Group.objects.select_for_update().get(pk=group.pk)
        if locked.status != GroupStatus.PENDING:
            raise _error(_("「%(group)s」はすでに%(status)sです。")
                         % {"group": locked.name, "status": locked.get_status_display()},
                         "decided")
        locked.status = GroupStatus.APPROVED if approve else GroupStatus.REJECTED
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.save(update_fields=["status", "decided_at", "decided_by"])
    return locked


def login_link_request(*, email: str, origin: str) -> None:
    """Mail a login link to each representative of an approved group with this address.
    The answer is the same whether or not one exists (no address is revealed)."""
    email = (email or "").strip()
    contacts = GroupContact.objects.filter(email__iexact=email, is_representative=True,
                                           group__status=GroupStatus.APPROVED)
    with transaction.atomic():
        for contact in contacts:
            login = GroupLogin.objects.create(
                contact=contact,
                expires_at=timezone.now() + dt.timedelta(minutes=LOGIN_MINUTES))
            messages.group_login_notice(login_id=login.pk, origin=origin)


def login_open(*, token: str) -> GroupContact:
    """The representative opened the link: it works once, until it expires."""
    now = timezone.now()
    with transaction.atomic():
        login = GroupLogin.objects.select_for_update().select_related("contact__group").filter(
            digest=digest(token or "")).first()
        if login is None or login.used_at is not None or login.expires_at <= now:
            raise _error(_("このリンクは使えません（使用済みか期限切れです）。"
                           "もう一度ログインリンクを申し込んでください。"), "link")
        login.used_at = now
        login.save(update_fields=["used_at"])
        if not login.contact.group.is_approved:
            raise _error(_("この団体の登録は現在有効ではありません。"), "group")
    return login.contact


def profile_consent(*, contact: GroupContact, agree: bool) -> Group:
    """The group's representative agrees (or no longer agrees) that the group's public
    profile is shown on its districts' pages. Only a representative of an approved group."""
    group = contact.group
    if not contact.is_representative or not group.is_approved:
        raise PermissionDenied(_("この団体の公開の設定を変える権限がありません。"))
    with transaction.atomic():
        Group.objects.filter(pk=group.pk).update(public_profile=agree)
    group.public_profile = agree
    return group
