"""A real uvicorn with its access log on (its default) never writes a one-time token
(issue 12 item 5): the redaction covers every logger, uvicorn.access included."""

from __future__ import annotations

import secrets
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection

from madoguchi.core.logredact import REDACTED
from tests.browser.conftest import _database_url, run_asgi_server


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_tokens_in_paths_never_reach_uvicorns_access_log(tmp_path, setagaya):
    log = tmp_path / "server.log"
    email, join, nested = (secrets.token_urlsafe(32) for _ in range(3))
    paths = [f"/portal/login/email/{email}/", f"/meet/join/{join}/",
             f"/accounts/login/?next=%2Fmeet%2Fjoin%2F{nested}%2F"]
    with run_asgi_server(_database_url(connection.settings_dict), log, access_log=True) as url:
        statuses = [_get(url + path) for path in paths]
        time.sleep(0.5)  # let the server flush its log lines
    text = log.read_text()
    assert all(status < 500 for status in statuses), (statuses, text)
    for token in (email, join, nested):
        assert token not in text
    # The access log itself is on and wrote each request, with the token redacted.
    assert f'"GET /portal/login/email/{REDACTED}/ HTTP/1.1"' in text
    assert f'"GET /meet/join/{REDACTED}/ HTTP/1.1"' in text
    assert f"next=%2Fmeet%2Fjoin%2F{REDACTED}%2F" in text
