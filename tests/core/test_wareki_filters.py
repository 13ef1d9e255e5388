"""The date filters templates use: 和暦 in Japanese, plain dates in English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone, translation


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("ja", "{{ d|wareki }}", "令和8年11月28日"),
        ("ja", "{{ d|wareki_full }}", "令和8年（2026年）11月28日（土）"),
        ("en", "{{ d|wareki }}", "28 Nov 2026"),
        ("en", "{{ d|wareki_full }}", "Sat 28 Nov 2026"),
    ],
)
def test_wareki_filters_follow_the_language(lang, source, expected):
    with translation.override(lang):
        assert render(source, d=dt.date(2026, 11, 28)) == expected


def test_wareki_writes_year_one_as_gannen_in_templates():
    with translation.override("ja"):
        assert render("{{ d|wareki }}", d=dt.date(2019, 5, 1)) == "令和元年5月1日"


def test_aware_datetimes_are_shown_on_their_tokyo_date():
    late_utc = dt.datetime(2026, 11, 27, 15, 30, tzinfo=dt.UTC)  # 00:30 on the 28th in Tokyo
    with translation.override("ja"):
        assert render("{{ d|wareki }}", d=late_utc) == "令和8年11月28日"
        assert render("{{ d|wareki_datetime }}", d=late_utc) == "令和8年11月28日 00:30"


def test_empty_values_render_nothing():
    with translation.override("ja"):
        assert render("[{{ d|wareki }}][{{ d|wareki_full }}]", d=None) == "[][]"


def test_now_wareki_shows_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2019, 5, 1))
    with translation.override("ja"):
        assert render("{% now_wareki %}") == "令和元年（2019年）5月1日（水）"
    with translation.override("en"):
        assert render("{% now_wareki %}") == "Wed 1 May 2019"
