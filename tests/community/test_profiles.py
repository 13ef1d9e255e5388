"""The groups' public profiles (issue 16 item 1): shown on the public pages and in the
district page's section (organisation's registry) only for approved groups that agreed;
never the contacts; the representative gives or withdraws the consent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.accounts.models import Role
from madoguchi.community import selectors
from madoguchi.community.models import Group, GroupKind, GroupStatus
from tests.community.conftest import make_group
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(ikejiri, centre) -> Group:
    group = make_group(ikejiri, centre, name="池尻子ども食堂", kind=GroupKind.NPO,
                       email="shokudo@example.jp")
    group.public_profile = True
    group.activity = "毎月第2土曜日に子ども食堂を開いています。"
    group.save()
    return group


def test_only_approved_groups_that_agreed_are_shown(client, agreed, group, ikejiri, centre):
    pending = make_group(ikejiri, centre, name="池尻将棋クラブ", status=GroupStatus.PENDING,
                         kind=GroupKind.CIRCLE, email="shogi@example.jp")
    Group.objects.filter(pk=pending.pk).update(public_profile=True)
    assert [p.name for p in selectors.public_profiles(ikejiri)] == ["池尻子ども食堂"]
    page = client.get(f"/community/groups/?district={ikejiri.pk}").content.decode()
    assert "池尻子ども食堂" in page and "池尻町会" not in page and "池尻将棋クラブ" not in page
    profile = client.get(f"/community/groups/{agreed.public_id}/")
    text = profile.content.decode()
    assert profile.status_code == 200 and "子ども食堂を開いています" in text
    assert "shokudo@example.jp" not in text and "世田谷 太郎" not in text  # no contact
    assert client.get(f"/community/groups/{group.public_id}/").status_code == 404
    assert client.get(f"/community/groups/{pending.public_id}/").status_code == 404


def test_the_district_page_shows_the_section(client, make_staff, agreed, ikejiri):
    login(client, make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center"))
    page = client.get(reverse("organisation:district", args=["setagaya", "ikejiri"]))
    text = page.content.decode()
    assert page.status_code == 200 and "地域で活動する団体" in text
    assert f"/community/groups/{agreed.public_id}/" in text


def test_the_representative_withdraws_and_gives_the_consent(client, agreed):
    session = client.session
    session["community_group_contact"] = agreed.contacts.get().pk
    session.save()
    assert "掲載をやめる" in client.get("/community/group/").content.decode()
    assert client.post("/community/group/profile/", {"agree": "0"}).status_code == 302
    agreed.refresh_from_db()
    assert not agreed.public_profile
    assert client.get(f"/community/groups/{agreed.public_id}/").status_code == 404
    client.post("/community/group/profile/", {"agree": "1"})
    agreed.refresh_from_db()
    assert agreed.public_profile


def test_without_the_group_login_the_consent_cannot_change(client, agreed):
    response = client.post("/community/group/profile/", {"agree": "0"})
    assert response.status_code == 302 and response.url.endswith("/community/group/login/")
    agreed.refresh_from_db()
    assert agreed.public_profile
