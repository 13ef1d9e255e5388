"""Residents in two districts and the staff around them."""

from __future__ import annotations

import pytest

from madoguchi.accounts.models import Role
from madoguchi.people import services
from tests.people.helpers import login

IKEJIRI = "setagaya/ikejiri/machizukuri-center"
MATSUBARA = "kitazawa/matsubara/machizukuri-center"


@pytest.fixture
def ikejiri_staff(make_staff):
    return make_staff(Role.DISTRICT_STAFF, IKEJIRI, "ikejiri-staff")


@pytest.fixture
def matsubara_staff(make_staff):
    return make_staff(Role.DISTRICT_STAFF, MATSUBARA, "matsubara-staff")


def resident_data(**overrides):
    data = {
        "family_name": "山田", "given_name": "太郎",
        "family_name_kana": "ヤマダ", "given_name_kana": "タロウ",
        "birth_date": "1948-04-12", "postal_code": "154-0001",
        "address": "世田谷区池尻二丁目1番（テスト）", "district": "setagaya/ikejiri",
        "phone": "03-0000-1234", "email": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_resident():
    def make(by, **overrides):
        return services.resident_create(by=by, data=resident_data(**overrides), source="tests")

    return make


@pytest.fixture
def residents(ikejiri_staff, matsubara_staff, make_resident):
    """Named residents of 池尻 and 松原 for the search and visibility tests."""
    return {
        "taro": make_resident(ikejiri_staff),
        "hanako": make_resident(ikejiri_staff, given_name="花子", given_name_kana="ハナコ",
                                birth_date="1951-09-03"),
        "takahashi": make_resident(ikejiri_staff, family_name="髙橋", given_name="一郎",
                                   family_name_kana="タカハシ", given_name_kana="イチロウ",
                                   birth_date="1939-01-20"),
        "sato": make_resident(ikejiri_staff, family_name="佐藤", given_name="美咲",
                              family_name_kana="サトウ", given_name_kana="ミサキ",
                              birth_date="1990-06-30"),
        "matsubara_yamada": make_resident(
            matsubara_staff, given_name="次郎", given_name_kana="ジロウ",
            birth_date="1955-05-05", district="kitazawa/matsubara",
            address="世田谷区松原一丁目1番（テスト）"),
        "matsubara_takahashi": make_resident(
            matsubara_staff, family_name="高橋", given_name="直子",
            family_name_kana="タカハシ", given_name_kana="ナオコ", birth_date="1966-03-03",
            district="kitazawa/matsubara", address="世田谷区松原一丁目2番（テスト）"),
    }


@pytest.fixture
def client_for(client):
    return lambda user: login(client, user)
