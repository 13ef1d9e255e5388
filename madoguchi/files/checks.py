"""``manage.py check``: the at-rest key of stored files is usable (and, with --deploy, set);
with --deploy, the disk of FILES_DIR is not nearly full."""

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


@register(deploy=True)
def free_space_deploy_check(app_configs, **kwargs) -> list[Warning]:
    from madoguchi.files.disk import free_space

    space = free_space()
    if not space["ok"]:
        return [Warning(f"the free space of FILES_DIR cannot be read ({space['error']})",
                        id="files.W003")]
    if "warning" in space:
        return [Warning(space["warning"], hint="free space or grow the disk of FILES_DIR",
                        id="files.W002")]
    return []
