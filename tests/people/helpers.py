"""Log a staff member in as the login view would, including the TOTP step for admins."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from madoguchi.accounts.policy import requires_two_factor


def login(client, user):
    client.force_login(user)
    if requires_two_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test",
                                                     defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
