"""Figures for the foundation: resident search with audit, organisation API."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from django.db import connection
from django.test import Client

from bench.harness import measure
from madoguchi.accounts.models import Role
from madoguchi.accounts.services import staff_upsert
from madoguchi.core.text import fold, kana_key
from madoguchi.organisation.models import District, Section
from madoguchi.people.models import Resident
from madoguchi.people.selectors import resident_search

RESIDENTS = 20_000

FAMILY = [("山田", "ヤマダ"), ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"),
          ("田中", "タナカ"), ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("中村", "ナカムラ"),
          ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("松本", "マツモト"),
          ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"), ("清水", "シミズ"),
          ("山口", "ヤマグチ"), ("森", "モリ"), ("池田", "イケダ"), ("橋本", "ハシモト")]
GIVEN = [("太郎", "タロウ"), ("花子", "ハナコ"), ("一郎", "イチロウ"), ("陽子", "ヨウコ"),
         ("健", "ケン"), ("美咲", "ミサキ"), ("翔", "ショウ"), ("由美", "ユミ"),
         ("誠", "マコト"), ("恵子", "ケイコ"), ("大輔", "ダイスケ"), ("真由美", "マユミ"),
         ("浩", "ヒロシ"), ("優子", "ユウコ"), ("拓也", "タクヤ"), ("幸子", "サチコ")]


def seed_residents(count: int) -> None:
    rng = random.Random(20261128)
    districts = list(District.objects.all())
    names = itertools.cycle(itertools.product(FAMILY, GIVEN))
    rows = []
    for i in range(count):
        (family, family_kana), (given, given_kana) = next(names)
        birth = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 90))
        district = districts[i % len(districts)]
        rows.append(Resident(
            family_name=family, given_name=given,
            family_name_kana=family_kana, given_name_kana=f"{given_kana}",
            name_key=fold(family + given), kana_key=kana_key(family_kana + given_kana) + f"{i}",
            birth_date=birth, address=f"世田谷区{district.name}1-{i % 30 + 1}-{i % 9 + 1}",
            district=district,
        ))
    Resident.objects.bulk_create(rows, batch_size=1000)


def run() -> dict:
    seed_residents(RESIDENTS)
    staff = staff_upsert(username="bench-ikejiri", display_name="bench", password="x" * 16,
                         role=Role.DISTRICT_STAFF,
                         unit=Section.objects.get(code="setagaya/ikejiri/machizukuri-center"))
    client = Client(HTTP_HOST="localhost")

    def get_ok(path: str) -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")

    timings = {
        "resident search, kana prefix (district staff, audited)": measure(
            lambda: resident_search(user=staff, query="やまだ", source="bench"), repeat=50),
        "resident search, kanji full name with space": measure(
            lambda: resident_search(user=staff, query="佐藤　花子", source="bench"), repeat=50),
        "GET /api/v1/districts (28 districts)": measure(
            lambda: get_ok("/api/v1/districts"), repeat=100),
        "GET /api/v1/sections (all units)": measure(
            lambda: get_ok("/api/v1/sections"), repeat=50),
    }
    return {"database": connection.vendor, "residents": RESIDENTS, "timings": timings}
