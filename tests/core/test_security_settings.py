"""HTTPS settings behind a reverse proxy (issue 12 item 6): on with SECURE_COOKIES=true, each
also settable on its own. Settings are read once per process, so each case is a fresh one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READ = ("import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.SECURE_HSTS_SECONDS, settings.SECURE_PROXY_SSL_HEADER, "
        "settings.SESSION_COOKIE_SECURE]))")


def settings_with(**env: str) -> list:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("SECURE_COOKIES", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER")}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", READ], cwd=ROOT, capture_output=True, text=True, check=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return json.loads(result.stdout)


@pytest.mark.parametrize(("env", "expected"), [
    ({}, [0, None, False]),
    ({"SECURE_COOKIES": "true"}, [31536000, ["HTTP_X_FORWARDED_PROTO", "https"], True]),
    ({"SECURE_COOKIES": "true", "SECURE_HSTS_SECONDS": "0", "SECURE_PROXY_SSL_HEADER": ""},
     [0, None, True]),
    ({"SECURE_HSTS_SECONDS": "600", "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Scheme"},
     [600, ["HTTP_X_FORWARDED_SCHEME", "https"], False]),
])
def test_https_settings_follow_secure_cookies_unless_set(env, expected):
    assert settings_with(**env) == expected
