"""Fixtures for the guidance engine tests: a small knowledge base written here (so the
ranking tests do not move when the seed data grows) and the seed knowledge base itself."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from madoguchi.consultations.setup import load_consultation_setup
from madoguchi.guidance import services
from madoguchi.guidance.models import EntryStatus
from madoguchi.organisation.models import SectionKind

SMALL_KB = [
    ("tennyu", "kumin-madoguchi", "他の区から引っ越してきました。転入届はどこに出しますか",
     "転入届は、引っ越した日から14日以内に、くみん窓口か出張所に出してください。",
     ["転入", "引っ越し", "住所変更"], ["tennyu-todoke"],
     "I moved to Setagaya from another city. Where do I register my address?"),
    ("jumin-hyo", "kumin-madoguchi", "住民票の写しがほしい",
     "住民票の写しは、くみん窓口・出張所、またはマイナンバーカードでコンビニでも取れます。",
     ["住民票", "証明書"], ["jumin-hyo"], "How can I get a copy of my residence record?"),
    ("mynumber", "kumin-madoguchi", "マイナンバーカードをなくしました",
     "警察とマイナンバー総合フリーダイヤルに連絡し、くみん窓口で再交付を申請してください。",
     ["マイナンバーカード", "紛失", "再交付"], [], ""),
    ("kokuho-kanyu", "kokuho-nenkin", "会社を辞めたら国民健康保険に入る手続きは必要ですか",
     "退職した日の翌日から14日以内に、国民健康保険の加入の届出をしてください。",
     ["国民健康保険", "加入", "退職"], ["kokuho-kanyu"],
     "I quit my job. Do I need to join National Health Insurance?"),
    ("nenkin-menjo", "kokuho-nenkin", "国民年金の保険料が払えません",
     "収入が減ったときは、国民年金保険料の免除や納付猶予を申請できます。",
     ["国民年金", "免除", "保険料"], ["nenkin-menjo"], ""),
    ("kaigo-nintei", "hoken-fukushi", "親の介護が必要になりました。介護保険のサービスを使いたい",
     "要介護認定の申請を、保健福祉課かあんしんすこやかセンターでしてください。",
     ["介護", "要介護認定", "介護保険"], ["kaigo-nintei"], ""),
    ("gan-kenshin", "kenko-zukuri", "がん検診を受けたい",
     "区のがん検診は、対象の年齢の方に受診券を送ります。健康づくり課にお問い合わせください。",
     ["がん検診", "健康診断", "検診"], [], "I want a cancer screening."),
    ("hoiku", "hoiku", "保育園に子どもを入れたい",
     "保育施設の利用申込は、保育課で受け付けます。",
     ["保育園", "入園", "申し込み"], ["hoiku-riyo"], "How do I apply for a nursery school?"),
    ("seikatsu-hogo", "seikatsu-shien", "仕事がなくなり生活できません。生活保護を受けたい",
     "生活支援課で生活保護の相談と申請ができます。",
     ["生活保護", "生活が苦しい", "失業"], ["seikatsu-hogo"], ""),
    ("kazei-shomei", "kazei", "課税証明書はどこでもらえますか",
     "課税（非課税）証明書は、課税課、くみん窓口、コンビニで取れます。",
     ["課税証明書", "非課税証明書", "所得証明"], ["kazei-shomei"], ""),
]

SYNONYMS = [
    ("国民健康保険", ["国保", "こくほ"]),
    ("マイナンバーカード", ["マイナカード", "マイナ"]),
    ("生活保護", ["生保"]),
    ("健康診断", ["健診"]),
    ("引っ越し", ["moving", "move"]),
    ("保育園", ["daycare", "nursery"]),
]


@pytest.fixture
def small_kb(setagaya):
    """Ten published entries, one draft and the synonyms above."""
    load_consultation_setup()
    for canonical, variants in SYNONYMS:
        services.synonym_save(canonical=canonical, variants=variants, by=None)
    kinds = {kind.code: kind for kind in SectionKind.objects.all()}
    entries = {}
    for code, kind, question, answer, keywords, procedures, question_en in SMALL_KB:
        entries[code] = services.entry_create(
            code=code, section_kind=kinds[kind], question=question, answer=answer,
            keywords=keywords, procedure_codes=procedures, question_en=question_en,
            by=None, status=EntryStatus.PUBLISHED)
    entries["draft"] = services.entry_create(
        code="draft-bosai", section_kind=kinds["machizukuri-center"],
        question="防災訓練に参加したい", answer="まちづくりセンターにお問い合わせください。",
        keywords=["防災"], by=None)
    return entries


@pytest.fixture
def seed_kb(setagaya):
    """The seed knowledge base as `make run` loads it."""
    load_consultation_setup()
    call_command("load_guidance", verbosity=0)
