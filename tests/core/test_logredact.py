"""Secrets in URL paths never reach the log (a refused one-time link is logged by Django)."""

import logging
import secrets
import uuid

import pytest
from django.urls import reverse

from madoguchi.core.logredact import REDACTED, redact


def test_token_segments_are_redacted_but_uuids_and_words_are_kept():
    token = secrets.token_urlsafe(32)
    room = uuid.uuid4()
    assert redact(f"/meetings/join/{token}/") == f"/meetings/join/{REDACTED}/"
    assert redact(f"Gone: /meetings/kiosk/{token}?x=1") == f"Gone: /meetings/kiosk/{REDACTED}?x=1"
    assert redact(f"/meetings/{room}/links/") == f"/meetings/{room}/links/"
    assert redact("/consultations/intake/") == "/consultations/intake/"


@pytest.mark.django_db
def test_refused_link_is_logged_without_its_token(client, caplog):
    token = secrets.token_urlsafe(32)
    handler = logging.getLogger("django.request").handlers[0]
    caplog.handler.addFilter(handler.filters[0])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("meetings:join", args=[token]))
    assert response.status_code >= 400
    assert caplog.records, "Django logs a refused request"
    assert token not in caplog.text
    assert REDACTED in caplog.text
