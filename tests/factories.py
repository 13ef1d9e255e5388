"""factory_boy factories. Residents are made through people.services, like in the app,
so keys, validation and the audit trail are the real ones."""

from __future__ import annotations

import datetime as dt

import factory

from madoguchi.people import services as people_services
from madoguchi.people.models import Resident


class ResidentFactory(factory.Factory):
    """``ResidentFactory(by=staff)``; traits: ``elderly``, ``needs_support``, ``matsubara``."""

    class Meta:
        model = dict

    class Params:
        elderly = factory.Trait(birth_date="1936-02-26")  # 昭和11年
        needs_support = factory.Trait(needs_interpreter=True, needs_wheelchair=True,
                                      preferred_language="en")
        matsubara = factory.Trait(district="kitazawa/matsubara",
                                  address="世田谷区松原一丁目（テスト）")

    by = None  # the staff member who registers the resident (required)
    family_name = "世田"
    given_name = factory.Iterator(["一郎", "花子", "次郎", "美咲", "健", "陽子"])
    family_name_kana = "セタ"
    given_name_kana = factory.Iterator(["イチロウ", "ハナコ", "ジロウ", "ミサキ", "ケン", "ヨウコ"])
    birth_date = factory.Sequence(
        lambda n: (dt.date(1950, 1, 1) + dt.timedelta(days=n)).isoformat())
    address = "世田谷区池尻二丁目（テスト）"
    district = "setagaya/ikejiri"
    preferred_language = "ja"
    needs_interpreter = False
    needs_wheelchair = False

    @classmethod
    def _create(cls, model_class, *args, by=None, **data) -> Resident:
        if by is None:
            raise ValueError("ResidentFactory needs by=<staff member who registers>")
        return people_services.resident_create(by=by, data=data, source="tests")
