"""Set up the test provider's database: ``python -m tests.oidc_provider.prepare
CLIENT_ID CLIENT_SECRET REDIRECT_URI...`` (run with the provider's environment)."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")


def main(client_id: str, client_secret: str, *redirect_uris: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import Application

    from tests.oidc_provider.users import PASSWORD, USERS

    call_command("migrate", verbosity=0, interactive=False)
    user_model = get_user_model()
    for username, names in USERS.items():
        user, _ = user_model.objects.get_or_create(username=username, defaults=names)
        user.set_password(PASSWORD)
        user.save()
    app, created = Application.objects.get_or_create(
        client_id=client_id,
        defaults={"name": "madoguchi", "client_secret": client_secret,
                  "client_type": Application.CLIENT_CONFIDENTIAL,
                  "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                  "algorithm": Application.RS256_ALGORITHM, "skip_authorization": True,
                  "redirect_uris": " ".join(redirect_uris)})
    if not created:
        known = app.redirect_uris.split()
        app.redirect_uris = " ".join(known + [uri for uri in redirect_uris if uri not in known])
        app.save()


if __name__ == "__main__":
    main(*sys.argv[1:])
