"""``manage.py check``: the at-rest key of stored files is usable (and, with --deploy, set)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from madoguchi.core.crypto import key_list, keyring


@register()
def encryption_key_check(app_configs, **kwargs) -> list[Error]:
    if key_list(settings.FILES_ENCRYPTION_KEY):
        try:
            keyring(settings.FILES_ENCRYPTION_KEY)
        except ValueError as error:
            return [Error(f"FILES_ENCRYPTION_KEY: {error}", id="files.E001")]
    return []


@register(Tags.security, deploy=True)
def encryption_key_deploy_check(app_configs, **kwargs) -> list[Warning]:
    if key_list(settings.FILES_ENCRYPTION_KEY):
        return []
    return [Warning("FILES_ENCRYPTION_KEY is not set: stored files are encrypted with a key "
                    "derived from SECRET_KEY, so changing SECRET_KEY makes them unreadable.",
                    id="files.W001")]
