"""Ranking, offices, online consultation, procedures and the index kept current by the
services, on a small knowledge base written in tests/guidance/engine_world.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from madoguchi.consultations.models import OnlineService
from madoguchi.guidance import services
from madoguchi.guidance.models import EntryStatus, EntryStatusChange, IndexedEntry, Synonym
from madoguchi.guidance.selectors import district_from_code, guide
from madoguchi.organisation.models import District

pytestmark = pytest.mark.django_db


def top(text: str, **kwargs) -> str:
    result = guide(text, **kwargs)
    assert result.problem is None, result.problem
    assert result.sections, f"no section for {text!r}"
    return result.sections[0].kind.code


@pytest.mark.parametrize(("text", "expected"), [
    ("転入届を出したい", "kumin-madoguchi"),
    ("ひっこしのてつづき", "kumin-madoguchi"),
    ("ｺｸﾎに入りたい", "kokuho-nenkin"),
    ("会社をやめた。健康保険はどうなる", "kokuho-nenkin"),
    ("マイナカードなくした", "kumin-madoguchi"),
    ("ねんきんはらえない", "kokuho-nenkin"),
    ("母の介護がたいへん", "hoken-fukushi"),
    ("けんしんを受けたい", "kenko-zukuri"),
    ("生保の相談", "seikatsu-shien"),
    ("I need a daycare for my son", "hoiku"),
    ("I am moving to Setagaya", "kumin-madoguchi"),
    ("課税証明書がほしい", "kazei"),
])
def test_questions_find_their_section(small_kb, text, expected):
    assert top(text) == expected


def test_sections_are_ranked_with_scores_and_a_reason(small_kb):
    result = guide("国民健康保険に加入したい")
    scores = [hit.score for hit in result.sections]
    assert scores == sorted(scores, reverse=True) and len(scores) <= 3
    best = result.sections[0]
    assert best.kind.code == "kokuho-nenkin"
    assert "国民健康保険" in best.reason and "加入" in best.reason
    assert best.words[0] in {"国民健康保険", "加入"}
    assert result.faqs[0].entry.code == "kokuho-kanyu"
    # Not in the (empty) catalogue: named from the contract table, not linked.
    assert result.procedures == [{"code": "kokuho-kanyu", "name": "国民健康保険の加入届",
                                  "name_en": "", "published": False}]


def test_kind_description_finds_a_section_without_entries(small_kb):
    # No entry mentions 成年後見; the section kind's own description does.
    result = guide("成年後見のことを相談したい")
    assert result.sections[0].kind.code == "seinen-koken"
    assert result.faqs == [] or result.faqs[0].entry.section_kind.code != "seinen-koken"
    assert "「成年」「後見」" in result.sections[0].reason


def test_drafts_are_not_searchable_until_published(small_kb):
    draft = small_kb["draft"]
    assert not any(hit.entry == draft for hit in guide("防災訓練に参加したい").faqs)
    services.entry_set_status(entry=draft, status=EntryStatus.REVIEW, by=None)
    assert IndexedEntry.objects.get(entry=draft).published is False
    services.entry_publish(entry=draft, by=None)
    assert guide("防災訓練に参加したい").faqs[0].entry == draft
    draft.refresh_from_db()
    assert draft.reviewed_on == timezone.localdate()
    history = list(EntryStatusChange.objects.filter(entry=draft)
                   .values_list("from_status", "to_status"))
    assert history == [("", "draft"), ("draft", "review"), ("review", "published")]
    services.entry_set_status(entry=draft, status=EntryStatus.DRAFT, by=None, note="見直し")
    assert not any(hit.entry == draft for hit in guide("防災訓練に参加したい").faqs)


def test_status_moves_are_checked(small_kb):
    with pytest.raises(ValidationError):
        services.entry_set_status(entry=small_kb["tennyu"], status=EntryStatus.REVIEW, by=None)


def test_editing_an_entry_updates_the_index(small_kb):
    entry = small_kb["gan-kenshin"]
    before = guide("骨粗しょう症").faqs
    assert not before or before[0].entry != entry
    services.entry_update(entry=entry, by=None, keywords=["がん検診", "骨粗しょう症検診"])
    assert guide("骨粗しょう症").faqs[0].entry == entry


def test_entry_validation_rejects_bad_procedure_codes(small_kb):
    with pytest.raises(ValidationError):
        services.entry_update(entry=small_kb["hoiku"], by=None, procedure_codes=["保育 申込"])


def test_synonym_edits_reach_the_index_at_once(small_kb):
    before = guide("おやのケア")
    assert not before.sections or before.sections[0].kind.code != "hoken-fukushi"
    services.synonym_save(canonical="介護", variants=["ケア"], by=None)
    assert top("おやのケア") == "hoken-fukushi"
    synonym = Synonym.objects.get(canonical="介護")
    services.synonym_delete(synonym=synonym, by=None)
    after = guide("おやのケア")
    assert not after.sections or after.sections[0].kind.code != "hoken-fukushi"


def test_synonym_needs_a_variant(small_kb):
    with pytest.raises(ValidationError):
        services.synonym_save(canonical="介護", variants=[" "], by=None)


def test_offices_for_a_district(small_kb):
    ikejiri = district_from_code("setagaya/ikejiri")
    branch = guide("介護保険のサービスを使いたい", district=ikejiri).sections[0]
    assert branch.kind.code == "hoken-fukushi"
    assert branch.office["section"] == "setagaya/hoken-fukushi"
    assert "世田谷総合支所" in branch.office["name"]
    head = guide("課税証明書", district=ikejiri).sections[0]
    assert head.office["section"] == "kazei" and head.office["office"] == "本庁"
    centre = next(hit for hit in guide("防災のことで相談", district=ikejiri).sections
                  if hit.kind.code == "machizukuri-center")
    assert centre.office["name"] == ikejiri.centre.name
    assert centre.office["hours"] == "08:30–17:15"
    # Without a district only ward-wide offices are known.
    assert guide("介護保険のサービスを使いたい").sections[0].office == {}


def test_district_codes_as_the_districts_api_takes_them(setagaya):
    assert district_from_code("setagaya/ikejiri").code == "ikejiri"
    assert district_from_code("ikejiri").key == "setagaya/ikejiri"
    assert district_from_code("nowhere/ikejiri") is None
    assert district_from_code("") is None
    # A code used in two regions would be ambiguous: only region/district names it then.
    for district in District.objects.all():
        found = district_from_code(district.code)
        assert found is None or found == district


def test_online_flag_follows_the_centres_online_services(small_kb):
    ikejiri = district_from_code("setagaya/ikejiri")  # a model centre
    taishido = district_from_code("setagaya/taishido")
    assert guide("介護保険を使いたい", district=ikejiri).sections[0].online is True
    assert guide("介護保険を使いたい", district=taishido).sections[0].online is False
    assert guide("介護保険を使いたい").sections[0].online is False
    service = OnlineService.objects.get(centre=ikejiri.centre,
                                        section_kind__code="hoken-fukushi")
    service.since = timezone.localdate() + dt.timedelta(days=7)
    service.save()
    assert guide("介護保険を使いたい", district=ikejiri).sections[0].online is False


@pytest.mark.parametrize(("text", "fragment"), [
    ("", "入力してください"),
    ("   \n\t", "入力してください"),
    ("あ" * 1001, "1,000文字以内"),
    ("😀😀🙏", "検索できる言葉"),
    ("？！…", "検索できる言葉"),
    ("<script>alert('x')</script>", "検索できる言葉"),
])
def test_bad_input_gives_a_japanese_problem(small_kb, text, fragment):
    result = guide(text)
    assert fragment in result.problem
    assert result.sections == [] and result.faqs == []
    assert result.as_json()["problem"] == result.problem


def test_odd_input_never_raises(small_kb):
    for text in ["\x00\x01", "a" * 1000, "国保" * 500, "🇯🇵国保🇯🇵", "&lt;b&gt;国保",
                 "SELECT * FROM guidance_entry; --", "%", "_", "\\", "ｱ", "ー"]:
        result = guide(text)
        assert result.problem is None or isinstance(result.problem, str)


def test_html_around_words_still_answers(small_kb):
    assert top("<b>国保</b>に<i>入りたい</i>") == "kokuho-nenkin"


def test_nothing_matching_gives_no_sections(small_kb):
    result = guide("量子コンピュータの並列化")
    assert result.problem is None and not result.answered


def test_json_shape(small_kb):
    data = guide("住民票がほしい", district=district_from_code("ikejiri")).as_json()
    assert set(data) == {"query", "problem", "sections", "faqs", "procedures"}
    section = data["sections"][0]
    assert {"code", "name", "score", "reason", "office", "online"} <= set(section)
    assert section["code"] == "kumin-madoguchi" and section["name"] == "くみん窓口"
    faq = data["faqs"][0]
    assert {"id", "question", "answer", "score"} <= set(faq) and faq["id"] == "jumin-hyo"
    assert data["procedures"][0] == {"code": "jumin-hyo", "name": "住民票の写しの交付請求"}


def test_seed_knowledge_base_loads_idempotently_and_covers_the_ward(seed_kb):
    from django.core.management import call_command

    from madoguchi.guidance.models import Entry
    from madoguchi.guidance.procedures import CONTRACT_NAMES
    from madoguchi.organisation.models import SectionKind

    count = Entry.objects.count()
    assert count >= 200
    call_command("load_guidance", verbosity=0)
    assert Entry.objects.count() == count
    assert IndexedEntry.objects.filter(published=True).count() == \
        Entry.objects.filter(status="published").count()
    covered = set(Entry.objects.values_list("section_kind__code", flat=True))
    assert covered == set(SectionKind.objects.values_list("code", flat=True))
    used = {code for codes in Entry.objects.values_list("procedure_codes", flat=True)
            for code in codes}
    assert set(CONTRACT_NAMES) <= used
    assert used <= set(CONTRACT_NAMES), used - set(CONTRACT_NAMES)


def test_loader_keeps_staff_edits(seed_kb, make_staff):
    from django.core.management import call_command

    from madoguchi.accounts.models import Role
    from madoguchi.guidance.models import Entry

    entry = Entry.objects.order_by("code").first()
    admin = make_staff(Role.WARD_ADMIN)
    services.entry_set_status(entry=entry, status=EntryStatus.DRAFT, by=admin)
    services.entry_update(entry=entry, by=admin, answer="職員が直した回答です。")
    call_command("load_guidance", verbosity=0)
    entry.refresh_from_db()
    assert entry.answer == "職員が直した回答です。" and entry.status == EntryStatus.DRAFT


@pytest.mark.django_db(transaction=True)
def test_a_synonym_saved_from_the_pages_is_indexed_by_the_worker(small_kb):
    from madoguchi.guidance.models import Posting
    from tests.notifications.conftest import run_worker

    def terms() -> set[str]:
        return set(Posting.objects.filter(doc__entry__code="gan-kenshin")
                   .values_list("term", flat=True))

    before = terms()
    services.synonym_save(canonical="がん検診の受診チケット", variants=["受診券"], by=None,
                          later=True)
    assert terms() == before  # not rebuilt in the request
    run_worker()
    after = terms()
    assert "券" in before and "券" not in after  # 受診券 now indexed as the canonical term
    assert any("チケツト" in term for term in after - before)
