"""Shared test helpers."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from madoguchi.accounts.policy import requires_two_factor


def login(client: Client, user, *, verified: bool | None = None) -> Client:
    """Log ``user`` in on ``client``; complete the TOTP step too when ``verified`` (by
    default: when the user's role requires two-factor authentication)."""
    client.force_login(user)
    if verified is None:
        verified = requires_two_factor(user)
    if verified:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator",
                                                     defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
