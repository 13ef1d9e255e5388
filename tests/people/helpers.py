"""Log a staff member in as the login view would, including the TOTP step for admins."""

from tests.helpers import login

__all__ = ["login"]
