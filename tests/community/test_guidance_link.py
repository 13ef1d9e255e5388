"""A resident asking 「高枝切りばさみを貸してほしい」 is given a link to what their centre can
lend (the community context's provider registered with guidance.links)."""

from __future__ import annotations

import pytest

from madoguchi.guidance import selectors

pytestmark = pytest.mark.django_db


def test_the_lending_answer_links_to_the_residents_centre(ikejiri, centre):
    answer = selectors.guide("高枝切りばさみを貸してほしい", district=ikejiri)
    [link] = answer.links
    assert link.url == f"/community/equipment/?district={ikejiri.pk}"
    assert "池尻まちづくりセンター" in link.label


def test_without_a_district_the_link_is_the_general_page(setagaya):
    [link] = selectors.guide("車いすを借りたい").links
    assert link.url == "/community/equipment/"


def test_other_questions_get_no_lending_link(ikejiri):
    assert selectors.guide("児童手当の申請をしたい", district=ikejiri).links == []


def test_the_guidance_page_shows_the_link(client, ikejiri, centre):
    response = client.post("/guide/", {"q": "高枝切りばさみを貸してほしい",
                                          "district": f"setagaya/{ikejiri.code}"})
    text = response.content.decode()
    assert response.status_code == 200
    assert f"/community/equipment/?district={ikejiri.pk}" in text and "関係するページ" in text
