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

    from madoguchi.demo_idp.prepare import register_client
    from tests.oidc_provider.users import PASSWORD, USERS

    call_command("migrate", verbosity=0, interactive=False)
    user_model = get_user_model()
    for username, names in USERS.items():
        user, _ = user_model.objects.get_or_create(username=username, defaults=names)
        user.set_password(PASSWORD)
        user.save()
    register_client(client_id=client_id, client_secret=client_secret, name="madoguchi",
                    redirect_uris=redirect_uris)


if __name__ == "__main__":
    main(*sys.argv[1:])
