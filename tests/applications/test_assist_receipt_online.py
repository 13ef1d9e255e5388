"""An online application (no resident record) opened on the assisted pages: the receipt
shows the name the applicant gave, never an error (issue 12 item 3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.applications import services
from madoguchi.procedures.models import Channel
from tests.applications.conftest import PNG, kazei_answers, resident_actor, version

pytestmark = pytest.mark.django_db


def test_the_receipt_of_an_online_application_names_the_applicant(
        catalogue, identity, ikejiri, files_dir, centre_client):
    actor = resident_actor(identity)
    draft = services.draft_start(actor=actor, version=version("kazei-shomei"),
                                 channel=Channel.ONLINE, district=ikejiri)
    services.attachment_add(actor=actor, application=draft, code="identity", data=PNG,
                            name="card.png")
    application = services.application_submit(
        actor=actor, application=draft, raw=kazei_answers(),
        idempotency_key="k-1234567").application
    assert application.resident is None
    response = centre_client.get(reverse("assist:receipt", args=[application.public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert application.reference in page and "池尻 花子 様" in page
