"""``manage.py load_demo``: demo staff (one per role) and fictional residents.

Idempotent: accounts are upserted, residents and consents that exist are left alone.
Every resident is created through people.services, so the audit trail shows the demo
load like any other registration. The names are invented; addresses end in （デモ）,
phone numbers use the unassigned 03-0000 prefix and mail goes to example.jp.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from madoguchi.accounts.models import Role, User
from madoguchi.accounts.services import staff_upsert
from madoguchi.core.text import kana_key
from madoguchi.organisation.models import District, Section
from madoguchi.people import services
from madoguchi.people.models import Consent, ConsentMethod, ConsentPurpose, Resident

SOURCE = "command:load_demo"
SYSTEM_USERNAME = "demo-system"

# (username, display name, role, unit code)
STAFF = [
    ("ikejiri", "池尻 まち子（デモ）", Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center"),
    ("matsubara", "松原 センター（デモ）", Role.DISTRICT_STAFF,
     "kitazawa/matsubara/machizukuri-center"),
    # The centres' heads (所長) approve events, signage items, minutes and assessments.
    ("ikejiri-shocho", "池尻 所長（デモ）", Role.CENTRE_HEAD,
     "setagaya/ikejiri/machizukuri-center"),
    ("matsubara-shocho", "松原 所長（デモ）", Role.CENTRE_HEAD,
     "kitazawa/matsubara/machizukuri-center"),
    ("hokenfukushi", "保健 福祉（デモ）", Role.SECTION_STAFF, "setagaya/hoken-fukushi"),
    ("kacho", "課長 世田谷（デモ）", Role.SECTION_MANAGER, "setagaya/hoken-fukushi"),
    ("anshin", "安心 すこやか（デモ）", Role.PARTNER_STAFF, "setagaya/ikejiri/anshin"),
    ("admin", "区 システム管理者（デモ）", Role.WARD_ADMIN, None),
    ("kansa", "監査 担当（デモ）", Role.AUDITOR, None),
]

# district key -> (postal code, address stem)
PLACES = {
    "setagaya/ikejiri": ("154-0001", "世田谷区池尻"),
    "kitazawa/matsubara": ("156-0043", "世田谷区松原"),
    "tamagawa/yoga": ("158-0097", "世田谷区用賀"),
    "kinuta/funabashi": ("156-0055", "世田谷区船橋"),
    "karasuyama/kamikitazawa": ("156-0057", "世田谷区上北沢"),
    "setagaya/taishido": ("154-0004", "世田谷区太子堂"),
    "setagaya/kyodo": ("156-0052", "世田谷区経堂"),
    "kitazawa/daizawa": ("155-0032", "世田谷区代沢"),
    "tamagawa/okusawa": ("158-0083", "世田谷区奥沢"),
    "kinuta/seijo": ("157-0066", "世田谷区成城"),
}

# family, given, family kana, given kana, birth date, district key, extras
RESIDENTS: list[tuple[str, str, str, str, str, str, dict]] = [
    ("山田", "太郎", "ヤマダ", "タロウ", "1948-04-12", "setagaya/ikejiri", {}),
    ("山田", "花子", "ヤマダ", "ハナコ", "1951-09-03", "setagaya/ikejiri",
     {"needs_hearing_support": True}),
    ("髙橋", "一郎", "タカハシ", "イチロウ", "1939-01-20", "setagaya/ikejiri",
     {"needs_wheelchair": True, "notes": "玄関の段差に注意。訪問時は事前に電話。"}),
    ("佐藤", "美咲", "サトウ", "ミサキ", "1990-06-30", "setagaya/ikejiri",
     {"email": "misaki.sato@example.jp"}),
    ("鈴木", "健二", "スズキ", "ケンジ", "1962-11-11", "setagaya/ikejiri", {}),
    ("グエン", "ティ ラン", "グエン", "ティ ラン", "1995-03-08", "setagaya/ikejiri",
     {"preferred_language": "vi", "needs_interpreter": True}),
    ("伊藤", "清", "イトウ", "キヨシ", "1932-05-05", "setagaya/ikejiri",
     {"needs_wheelchair": True, "needs_hearing_support": True}),
    ("渡辺", "さくら", "ワタナベ", "サクラ", "2001-04-01", "setagaya/ikejiri", {}),
    ("中村", "正男", "ナカムラ", "マサオ", "1944-08-15", "kitazawa/matsubara", {}),
    ("小林", "和子", "コバヤシ", "カズコ", "1937-02-28", "kitazawa/matsubara",
     {"needs_hearing_support": True, "notes": "補聴器を使用。ゆっくり話すと伝わりやすい。"}),
    ("加藤", "翔太", "カトウ", "ショウタ", "1988-12-24", "kitazawa/matsubara",
     {"needs_sign_language": True, "notes": "手話通訳を希望。筆談も可。"}),
    ("吉田", "恵子", "ヨシダ", "ケイコ", "1958-07-07", "kitazawa/matsubara", {}),
    ("山本", "勇", "ヤマモト", "イサム", "1929-10-10", "kitazawa/matsubara",
     {"needs_wheelchair": True}),
    ("高橋", "直子", "タカハシ", "ナオコ", "1966-03-03", "kitazawa/matsubara", {}),
    ("松本", "優子", "マツモト", "ユウコ", "1975-05-20", "tamagawa/yoga", {}),
    ("井上", "茂", "イノウエ", "シゲル", "1941-06-06", "tamagawa/yoga",
     {"needs_hearing_support": True}),
    ("木村", "結衣", "キムラ", "ユイ", "1998-08-08", "tamagawa/yoga", {}),
    ("林", "大輔", "ハヤシ", "ダイスケ", "1983-01-15", "tamagawa/yoga", {}),
    ("ワン", "リー", "ワン", "リー", "1986-09-09", "tamagawa/yoga",
     {"preferred_language": "zh", "needs_interpreter": True}),
    ("清水", "トメ", "シミズ", "トメ", "1925-11-03", "tamagawa/yoga",
     {"needs_wheelchair": True, "needs_hearing_support": True}),
    ("斎藤", "博", "サイトウ", "ヒロシ", "1950-02-11", "kinuta/funabashi", {}),
    ("齋藤", "典子", "サイトウ", "ノリコ", "1953-04-29", "kinuta/funabashi", {}),
    ("山口", "陽菜", "ヤマグチ", "ヒナ", "2004-07-21", "kinuta/funabashi", {}),
    ("森", "敏夫", "モリ", "トシオ", "1936-12-01", "kinuta/funabashi",
     {"needs_wheelchair": True}),
    ("池田", "真理", "イケダ", "マリ", "1969-10-31", "kinuta/funabashi",
     {"preferred_language": "ja-easy"}),
    ("橋本", "浩二", "ハシモト", "コウジ", "1957-05-15", "kinuta/funabashi", {}),
    ("阿部", "智子", "アベ", "トモコ", "1964-08-22", "karasuyama/kamikitazawa", {}),
    ("石川", "武", "イシカワ", "タケシ", "1940-03-10", "karasuyama/kamikitazawa",
     {"needs_hearing_support": True}),
    ("前田", "彩", "マエダ", "アヤ", "1992-11-18", "karasuyama/kamikitazawa", {}),
    ("藤田", "幸子", "フジタ", "サチコ", "1934-06-25", "karasuyama/kamikitazawa",
     {"needs_wheelchair": True}),
    ("サントス", "マリア", "サントス", "マリア", "1979-12-12", "karasuyama/kamikitazawa",
     {"preferred_language": "tl", "needs_interpreter": True}),
    ("小川", "誠", "オガワ", "マコト", "1972-04-04", "karasuyama/kamikitazawa", {}),
    ("岡田", "春江", "オカダ", "ハルエ", "1931-03-21", "setagaya/taishido", {}),
    ("後藤", "拓也", "ゴトウ", "タクヤ", "1985-10-05", "setagaya/taishido", {}),
    ("長谷川", "久美子", "ハセガワ", "クミコ", "1960-01-09", "setagaya/kyodo",
     {"needs_sign_language": True}),
    ("村上", "修", "ムラカミ", "オサム", "1946-09-17", "setagaya/kyodo", {}),
    ("近藤", "千尋", "コンドウ", "チヒロ", "1994-02-14", "kitazawa/daizawa", {}),
    ("石井", "ハル", "イシイ", "ハル", "1927-07-30", "kitazawa/daizawa",
     {"needs_wheelchair": True, "needs_hearing_support": True}),
    ("坂本", "光", "サカモト", "ヒカル", "1981-06-01", "tamagawa/okusawa", {}),
    ("遠藤", "澄子", "エンドウ", "スミコ", "1947-12-20", "kinuta/seijo", {}),
    ("パク", "ミンジ", "パク", "ミンジ", "1997-05-02", "kinuta/seijo",
     {"preferred_language": "ko"}),
    # Households (世帯): a couple with two young children in 池尻, an elderly couple in 松原.
    ("田中", "一郎", "タナカ", "イチロウ", "1987-09-14", "setagaya/ikejiri",
     {"household_code": "IKJ-0001", "relationship": "head",
      "address": "世田谷区池尻3丁目7番（デモ）", "email": "ichiro.tanaka@example.jp"}),
    ("田中", "由美", "タナカ", "ユミ", "1989-02-03", "setagaya/ikejiri",
     {"household_code": "IKJ-0001", "relationship": "spouse",
      "address": "世田谷区池尻3丁目7番（デモ）"}),
    ("田中", "陽太", "タナカ", "ヨウタ", "2020-06-18", "setagaya/ikejiri",
     {"household_code": "IKJ-0001", "relationship": "child",
      "address": "世田谷区池尻3丁目7番（デモ）"}),
    ("田中", "葵", "タナカ", "アオイ", "2023-11-02", "setagaya/ikejiri",
     {"household_code": "IKJ-0001", "relationship": "child",
      "address": "世田谷区池尻3丁目7番（デモ）"}),
    ("佐々木", "茂", "ササキ", "シゲル", "1941-04-12", "kitazawa/matsubara",
     {"household_code": "MTB-0001", "relationship": "head",
      "address": "世田谷区松原2丁目4番（デモ）"}),
    ("佐々木", "文子", "ササキ", "フミコ", "1944-10-30", "kitazawa/matsubara",
     {"household_code": "MTB-0001", "relationship": "spouse", "needs_hearing_support": True,
      "address": "世田谷区松原2丁目4番（デモ）"}),
]
HOUSEHOLD_FIELDS = ("household_code", "relationship")

# Residents (by list position) with consents: data processing, then online consultation.
CONSENTED = {0: 2, 1: 1, 2: 3, 5: 2, 8: 2, 9: 1, 10: 2, 14: 1, 15: 2, 20: 2, 23: 1,
             26: 2, 27: 1, 30: 2, 32: 1, 34: 2}
CONSENT_ORDER = [ConsentPurpose.DATA_PROCESSING, ConsentPurpose.ONLINE_CONSULTATION,
                 ConsentPurpose.SHARE_WITH_SECTION]


def _width(text: str) -> int:
    """Columns on a terminal: wide (全角) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class Command(BaseCommand):
    help = ("Create demo staff (one per role, and a head for each demo centre; password "
            "DEMO_PASSWORD) and about 40 fictional "
            "residents with needs and consents. Idempotent. Needs load_setagaya first.")

    def handle(self, *args, verbosity: int, **options):
        if not District.objects.exists():
            raise CommandError("組織データがありません。先に `manage.py load_setagaya` を実行して"
                               "ください。")
        with transaction.atomic():
            staff = self._staff()
            created = self._residents(staff)
        if verbosity:
            self._report(created)

    def _staff(self) -> dict[str, User]:
        users = {}
        for username, display_name, role, unit_code in STAFF:
            unit = Section.objects.get(code=unit_code) if unit_code else None
            users[username] = staff_upsert(username=username, display_name=display_name,
                                           password=settings.DEMO_PASSWORD, role=role,
                                           unit=unit)
        return users

    def _system_user(self) -> User:
        """A district-staff account for the demo districts without a demo login. It cannot
        log in (unusable password) and is deactivated again once the data is loaded."""
        for key in PLACES:
            unit = Section.objects.get(code=f"{key}/machizukuri-center")
            staff_upsert(username=SYSTEM_USERNAME, display_name="デモデータ登録（システム）",
                         password=settings.DEMO_PASSWORD, role=Role.DISTRICT_STAFF, unit=unit)
        user = User.objects.get(username=SYSTEM_USERNAME)
        user.is_active = True
        return user

    def _residents(self, staff: dict[str, User]) -> int:
        system = self._system_user()
        system.save(update_fields=["is_active"])
        system = User.objects.get(pk=system.pk)  # fresh: no cached memberships
        creators = {"setagaya/ikejiri": staff["ikejiri"], "kitazawa/matsubara": staff["matsubara"]}
        created = 0
        for index, (family, given, family_kana, given_kana, born, key, extras) in enumerate(
                RESIDENTS):
            by = creators.get(key, system)
            birth = dt.date.fromisoformat(born)
            resident = Resident.objects.filter(
                kana_key=kana_key(family_kana + given_kana), birth_date=birth).first()
            if resident is None:
                postal, stem = PLACES[key]
                data = {
                    "family_name": family, "given_name": given,
                    "family_name_kana": family_kana, "given_name_kana": given_kana,
                    "birth_date": birth, "postal_code": postal,
                    "address": f"{stem}{index % 5 + 1}丁目{index + 1}番（デモ）",
                    "district": key, "phone": f"03-0000-{1000 + index:04d}", **extras,
                }
                resident = services.resident_create(by=by, data=data, source=SOURCE)
                created += 1
            elif extras.get("household_code") and not resident.household_code:
                # Loaded before residents had households: add the household only.
                services.resident_update(by=by, resident=resident, source=SOURCE,
                                         data={k: extras[k] for k in HOUSEHOLD_FIELDS})
            for purpose in CONSENT_ORDER[:CONSENTED.get(index, 0)]:
                if not Consent.objects.filter(resident=resident, purpose=purpose,
                                              withdrawn_at__isnull=True).exists():
                    services.consent_give(by=by, resident=resident, purpose=purpose,
                                          method=ConsentMethod.ORAL if index % 2
                                          else ConsentMethod.WRITTEN,
                                          note="", source=SOURCE)
        system.set_unusable_password()
        system.is_active = False
        system.save(update_fields=["password", "is_active"])
        return created

    def _report(self, created: int) -> None:
        self.stdout.write(f"デモ区民: {Resident.objects.count()}人（今回の新規 {created}人）")
        self.stdout.write("デモ用アカウント（パスワードは DEMO_PASSWORD の値）:")
        rows = [("職員ID", "役割", "所属", "パスワード")]
        for username, _display, role, unit_code in STAFF:
            rows.append((username, str(Role(role).label), unit_code or "区全体",
                         settings.DEMO_PASSWORD))
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            self.stdout.write("  " + "  ".join(cell + " " * (width - _width(cell))
                                               for cell, width in zip(row, widths, strict=True)))
        self.stdout.write("センターのイベント・掲示物・四者連携会議の議事録・地区アセスメントは、"
                          "所長（ikejiri-shocho、matsubara-shocho）が承認します。")
        self.stdout.write("admin（区システム管理者）は、初回ログイン時に認証アプリ（TOTP）の設定が"
                          "必要です。")
