"""The staff page setting a district's LINE audience (the narrowcast target): the
district's centre staff and ward administrators, checked input with Japanese messages,
every change kept in an append-only trail."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.accounts.models import Role
from madoguchi.core.appendonly import AppendOnlyError
from madoguchi.news import tasks
from madoguchi.news.models import LineAudience, LineAudienceChange
from madoguchi.organisation.models import District
from tests.helpers import login

from .conftest import HOKEN, published

pytestmark = pytest.mark.django_db


def url(district) -> str:
    return f"/news/staff/line/audiences/{district.pk}/"


def test_centre_staff_set_their_districts_audience_and_posts_go_there(
        line_api, author, approver, ikejiri):
    staff = login(Client(), author)
    listing = staff.get("/news/staff/line/audiences/").content.decode()
    assert "池尻" in listing and "未登録" in listing

    answer = staff.post(url(ikejiri), {"audience_group_id": "１２３４ ５６７８"})
    assert answer.status_code == 302
    assert LineAudience.objects.get(district=ikejiri).audience_group_id == 12345678
    [change] = LineAudienceChange.objects.all()
    assert (change.old_id, change.new_id, change.changed_by) == (None, 12345678, author)

    published(author, approver, ikejiri, send_mail=False)
    tasks.send_due()
    [sent] = line_api.sent
    assert sent["body"]["recipient"]["audienceGroupId"] == 12345678

    staff.post(url(ikejiri), {"audience_group_id": ""})  # removed: no narrowcast
    assert not LineAudience.objects.filter(district=ikejiri).exists()
    page = staff.get(url(ikejiri)).content.decode()
    assert "12345678" in page  # the trail shows both changes
    assert list(LineAudienceChange.objects.values_list("old_id", "new_id")) == [
        (12345678, None), (None, 12345678)]
    with pytest.raises(AppendOnlyError):
        LineAudienceChange.objects.first().delete()


@pytest.mark.parametrize(("value", "message"), [
    ("abc", "数字だけで入力してください"),
    ("0", "0は使えません"),
    ("9" * 20, "長すぎます"),
])
def test_wrong_ids_are_refused_with_a_japanese_message(author, ikejiri, value, message):
    answer = login(Client(), author).post(url(ikejiri), {"audience_group_id": value})
    assert answer.status_code == 400 and message in answer.content.decode()
    assert not LineAudience.objects.exists() and not LineAudienceChange.objects.exists()


def test_an_audience_of_another_district_is_refused(author, make_staff, ikejiri):
    admin = make_staff(Role.WARD_ADMIN, None, "news-admin")
    other = District.objects.exclude(pk=ikejiri.pk).first()
    login(Client(), admin).post(url(other), {"audience_group_id": "777"})
    answer = login(Client(), author).post(url(ikejiri), {"audience_group_id": "777"})
    assert answer.status_code == 400
    assert f"{other.name}地区で使われています" in answer.content.decode()


def test_only_the_districts_centre_and_ward_administrators_may_change_it(
        author, make_staff, ikejiri):
    other = District.objects.exclude(pk=ikejiri.pk).first()
    assert login(Client(), author).post(url(other), {"audience_group_id": "5"}
                                        ).status_code == 403
    manager = make_staff(Role.SECTION_MANAGER, HOKEN, "ward-manager")
    assert login(Client(), manager).post(url(ikejiri), {"audience_group_id": "5"}
                                         ).status_code == 403
    assert not LineAudience.objects.exists()
