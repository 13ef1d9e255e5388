"""Writes for staff accounts: creating staff, enrolling and verifying TOTP devices."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from madoguchi.accounts.models import ROLE_UNIT_TIERS, Membership, User
from madoguchi.organisation.models import Section

DEVICE_NAME = "authenticator"


class TokenResult(Enum):
    OK = "ok"
    WRONG = "wrong"
    THROTTLED = "throttled"  # django-otp slows down repeated failures


def _check(device: TOTPDevice, token: str) -> TokenResult:
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return TokenResult.THROTTLED
    return TokenResult.OK if device.verify_token(token) else TokenResult.WRONG


class MembershipError(ValueError):
    pass


def validate_membership(role: str, unit: Section | None) -> None:
    tiers = ROLE_UNIT_TIERS[role]
    if tiers is None and unit is not None:
        raise MembershipError(f"role {role} is ward-wide and takes no unit")
    if tiers is not None and (unit is None or unit.kind.tier not in tiers):
        raise MembershipError(f"role {role} needs a unit of tier {sorted(tiers)}")


@transaction.atomic
def staff_upsert(*, username: str, display_name: str, password: str, role: str,
                 unit: Section | None, email: str = "",
                 valid_from: dt.date | None = None) -> User:
    """Create or update a staff member with one current membership (idempotent)."""
    validate_membership(role, unit)
    user, created = User.objects.get_or_create(username=username,
                                               defaults={"display_name": display_name})
    user.display_name = display_name
    user.email = email
    if created or not user.has_usable_password():
        user.set_password(password)
    user.save()
    membership_fields = {"valid_from": valid_from} if valid_from else {}
    Membership.objects.get_or_create(user=user, role=role, unit=unit,
                                     defaults=membership_fields)
    return user


def totp_pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device shown during enrolment (one per user, reused on reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, request, device: TOTPDevice, token: str) -> TokenResult:
    """Confirm an enrolment with a first valid token; logs the session in as verified."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    result = _check(device, token)
    if result is not TokenResult.OK:
        return result
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    otp_login(request, device)
    return TokenResult.OK


def totp_verify(*, request, token: str) -> TokenResult:
    """Verify a token against the user's confirmed devices."""
    result = TokenResult.WRONG
    for device in TOTPDevice.objects.devices_for_user(request.user, confirmed=True):
        result = _check(device, token)
        if result is TokenResult.OK:
            otp_login(request, device)
            break
    return result


SELF_SERVICE_USERNAME = "resident-self-service"


def self_service_actor() -> User:
    """The account named in the "made by" columns of what a resident did themself on the
    portal (a consultation they booked online, ADR 0049). It cannot log in (inactive, no
    usable password) and holds no membership, so the policy grants it nothing; the audit
    trail names the resident's portal identity, never this account."""
    user, created = User.objects.get_or_create(
        username=SELF_SERVICE_USERNAME,
        defaults={"display_name": "区民（オンラインで本人が予約）", "is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
