"""A resident sees every application made for them (ADR 0027): an application made at the
centre is linked to their portal identity when they log in with the same verified identity
(the demo provider's 基本4情報), or by the clerk with the code their portal shows; a code
of somebody whose verified name or birth date differs is refused and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.applications import services
from madoguchi.applications.models import Delivery
from madoguchi.applications.services import linking, notices
from madoguchi.audit.models import AuditEntry
from madoguchi.portal import linkcodes
from madoguchi.portal.models import Level, LinkCode, Method, PortalIdentity
from tests.applications.conftest import portal_client, staff_actor
from tests.applications.review_support import move, receive_kaigo
from tests.factories import ResidentFactory
from tests.helpers import login
from tests.portal.conftest import (  # noqa: F401 (fixtures)
    card_login,
    demo_oidc,
    demo_provider,
)

pytestmark = pytest.mark.django_db

HANAKO = {"family_name": "山田", "given_name": "花子", "family_name_kana": "ヤマダ",
          "given_name_kana": "ハナコ", "birth_date": "1951-09-03",
          "address": "世田谷区池尻2丁目2番（デモ）"}


@pytest.fixture
def section_staff(make_staff):
    return make_staff(Role.SECTION_STAFF, "setagaya/hoken-fukushi", username="hoken-link")


@pytest.fixture
def hanako(centre_staff):
    return ResidentFactory(by=centre_staff, **HANAKO)


def notified(application, staff):
    """Decided (要介護2) with a notice by post, as the section would."""
    move(application, staff, "start_check", "accept", "start_assessment", "to_board")
    application = services.application_transition(
        actor=staff_actor(staff), application=application, name="decide",
        decision={"care_level": "care2", "valid_from": "令和8年12月1日",
                  "valid_to": "令和9年11月30日"})
    return notices.notice_create(actor=staff_actor(staff, "review:notice_create"),
                                 application=application, delivery=Delivery.POST,
                                 reasons="", origin="http://testserver")


def verified(name="山田 花子", birth=dt.date(1951, 9, 3), subject="sub-hanako"):
    return PortalIdentity.objects.create(method=Method.OIDC, level=Level.STRONG,
                                         issuer="https://idp.example.jp", subject=subject,
                                         display_name=name, birth_date=birth)


def test_an_application_made_at_the_centre_appears_after_the_card_login(
        client, catalogue, files_dir, centre_staff, section_staff, hanako, demo_oidc):  # noqa: F811
    application = receive_kaigo(centre_staff, hanako)
    notice = notified(application, section_staff)

    card_login(client, demo_oidc, "demo-hanako")
    identity = PortalIdentity.objects.get()
    application.refresh_from_db()
    assert application.identity == identity
    listing = client.get("/portal/applications/").content.decode()
    assert application.reference in listing
    detail = client.get(f"/portal/applications/{application.public_id}/").content.decode()
    assert f"/portal/notices/{notice.public_id}/" in detail
    entry = AuditEntry.objects.get(action="update", record_type="application",
                                   record_id=str(application.public_id),
                                   portal_ref=str(identity.public_id))
    assert entry.fields == ["identity"] and entry.source == "portal:card_callback"


def test_no_link_at_login_when_the_record_differs(client, catalogue, files_dir, centre_staff,
                                                  demo_oidc):  # noqa: F811
    other = ResidentFactory(by=centre_staff, **{**HANAKO, "birth_date": "1951-09-04"})
    moved = ResidentFactory(by=centre_staff, **{**HANAKO, "given_name_kana": "ハナ",
                                                "address": "世田谷区松原1丁目（デモ）"})
    applications = [receive_kaigo(centre_staff, other), receive_kaigo(centre_staff, moved)]
    card_login(client, demo_oidc, "demo-hanako")
    for application in applications:
        application.refresh_from_db()
        assert application.identity is None
    assert applications[0].reference not in client.get("/portal/applications/").content.decode()


def test_the_centre_links_with_the_code_the_portal_shows(catalogue, files_dir, centre_staff,
                                                         hanako):
    application = receive_kaigo(centre_staff, hanako)
    identity = verified(name="山田　花子")  # another width of space: the same name
    resident = portal_client(identity)
    page = resident.post("/portal/link-code/").content.decode()
    code = page.split('id="link-code"')[1].split("<strong>")[1].split("</strong>")[0]
    clerk = login(Client(), centre_staff)
    url = f"/assist/{application.public_id}/link/"
    assert clerk.get(url).status_code == 200
    response = clerk.post(url, {"code": code})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.identity == identity
    assert AuditEntry.objects.filter(action="update", actor=centre_staff,
                                     record_id=str(application.public_id)).exists()
    # Spent: a second use is refused.
    again = clerk.post(url, {"code": code})
    assert again.status_code == 400 and "確認コードが違うか" in again.content.decode()


def test_a_code_of_somebody_else_is_refused_and_audited(catalogue, files_dir, centre_staff,
                                                        hanako):
    application = receive_kaigo(centre_staff, hanako)
    clerk = login(Client(), centre_staff)
    url = f"/assist/{application.public_id}/link/"
    for identity in (verified(name="山田 花代", subject="a"),
                     verified(birth=dt.date(1951, 9, 4), subject="b")):
        code, _ = linkcodes.issue(identity=identity)
        response = clerk.post(url, {"code": code})
        assert response.status_code == 400
        assert "お名前または生年月日が" in response.content.decode()
        application.refresh_from_db()
        assert application.identity is None
        assert AuditEntry.objects.filter(
            action="denied", actor=centre_staff, record_id=str(application.public_id),
            fields=["identity"]).count() == (1 if identity.subject == "a" else 2)


def test_bad_codes_are_refused_in_japanese(catalogue, files_dir, centre_staff, hanako):
    application = receive_kaigo(centre_staff, hanako)
    identity = verified()
    code, _ = linkcodes.issue(identity=identity)
    LinkCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    clerk = login(Client(), centre_staff)
    url = f"/assist/{application.public_id}/link/"
    for typed in (code, "1234", "", "abcdefgh"):
        response = clerk.post(url, {"code": typed})
        assert response.status_code == 400
        assert 'id="id_code_error"' in response.content.decode()
    application.refresh_from_db()
    assert application.identity is None


def test_only_a_verified_identity_gets_a_code(catalogue):
    email_only = PortalIdentity.objects.create(method=Method.EMAIL, level=Level.EMAIL,
                                               email="a@example.jp")
    with pytest.raises(linkcodes.CodeRefused):
        linkcodes.issue(identity=email_only)
    no_birth = verified(birth=None, subject="c")
    assert not linkcodes.can_link(no_birth)
    assert 'id="show-link-code"' not in portal_client(no_birth).get("/portal/").content.decode()


def test_a_linked_application_is_not_linked_again(catalogue, files_dir, centre_staff, hanako):
    application = receive_kaigo(centre_staff, hanako)
    first, second = verified(subject="one"), verified(subject="two")
    code, _ = linkcodes.issue(identity=first)
    linking.link_with_code(application=application, code=code, user=centre_staff,
                           source="assist:link")
    code, _ = linkcodes.issue(identity=second)
    with pytest.raises(linking.LinkRefused) as refused:
        linking.link_with_code(application=application, code=code, user=centre_staff,
                               source="assist:link")
    assert refused.value.reason == "linked"
    assert linking.link_on_login(identity=second, address="", source="portal:card_callback") == 0
