"""Set up the demo identity provider and print madoguchi's settings for it:

    python -m madoguchi.demo_idp.prepare ISSUER REDIRECT_URI...

Makes ``DEMO_IDP_DIR`` (var/demo_idp) with an RS256 key and a client secret on first run
(both kept, mode 0600, so a restart keeps logins and tokens valid), migrates its SQLite
database, makes the demo residents and registers madoguchi as a client with the given
redirect URIs (added to those already known). Prints ``export NAME=value`` lines for the
shell (bin/run evaluates them): the ``PORTAL_OIDC_*`` settings and ``PORTAL_OIDC_DEMO``.
"""

from __future__ import annotations

import os
import secrets
import shlex
import sys
from pathlib import Path


def _secret_file(path: Path, make) -> str:
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _rsa_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def register_client(*, client_id: str, client_secret: str, name: str,
                    redirect_uris) -> None:
    """madoguchi as a confidential client (code flow, RS256 ID tokens, no consent page);
    redirect URIs are added to those already known, the secret set again."""
    from oauth2_provider.models import Application

    app, created = Application.objects.get_or_create(client_id=client_id, defaults={
        "name": name, "client_secret": client_secret,
        "client_type": Application.CLIENT_CONFIDENTIAL,
        "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
        "algorithm": Application.RS256_ALGORITHM, "skip_authorization": True,
        "redirect_uris": " ".join(redirect_uris)})
    if not created:
        known = app.redirect_uris.split()
        app.redirect_uris = " ".join(known + [uri for uri in redirect_uris if uri not in known])
        app.client_secret = client_secret
        app.save()


def prepare(issuer: str, redirect_uris: list[str]) -> dict[str, str]:
    """Everything above; returns madoguchi's settings for the provider."""
    from madoguchi.demo_idp import settings as idp_settings

    folder = idp_settings.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    _secret_file(folder / "key.pem", _rsa_key_pem)
    client_secret = _secret_file(folder / "client_secret", lambda: secrets.token_urlsafe(32))
    os.environ.setdefault("DEMO_IDP_ISSUER", issuer)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from madoguchi.demo_idp.residents import ACR, CLIENT_ID, RESIDENTS, SCOPES

    call_command("migrate", verbosity=0, interactive=False)
    users = get_user_model()
    for resident in RESIDENTS:
        user, _ = users.objects.get_or_create(username=resident.username, defaults={
            "last_name": resident.family_name, "first_name": resident.given_name})
        user.set_unusable_password()  # chosen by a click on the demo page, never a password
        user.save()
    register_client(client_id=CLIENT_ID, client_secret=client_secret,
                    name="madoguchi (demo)", redirect_uris=redirect_uris)
    return {"PORTAL_OIDC_ISSUER": issuer, "PORTAL_OIDC_DISCOVERY_URL": "",
            "PORTAL_OIDC_CLIENT_ID": CLIENT_ID, "PORTAL_OIDC_CLIENT_SECRET": client_secret,
            "PORTAL_OIDC_SCOPES": SCOPES, "PORTAL_OIDC_ACR_VALUES": ACR,
            "PORTAL_OIDC_STRONG_ACR": ACR, "PORTAL_OIDC_USERINFO": "true",
            "PORTAL_OIDC_DEMO": "true"}


def in_subprocess(env: dict, issuer: str, *redirect_uris: str) -> dict[str, str]:
    """Run this module in a child process with ``env`` (its own Django settings) and
    return the settings it prints; for the benchmark and the tests."""
    import subprocess

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "madoguchi.demo_idp.prepare", issuer, *redirect_uris],
        cwd=root, env=env, check=True, capture_output=True, text=True, timeout=300)
    values = {}
    for line in done.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        values[name] = shlex.split(value)[0] if value else ""
    return values


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.demo_idp.settings")
    values = prepare(sys.argv[1], sys.argv[2:])
    for name, value in values.items():
        print(f"export {name}={shlex.quote(value)}")
