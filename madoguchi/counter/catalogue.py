"""The ward's default window services (資料 別表2 and the plan's list of counter services).

A municipality edits its offices' services as data (admin or this loader's table); this is
only the starting set. ◆ services are handled at 20 district centres, not at the eight in
``WITHOUT_RELAY`` (the plan: 「◆は太子堂・経堂・北沢・等々力・用賀・二子玉川・成城・烏山を除く
20ヵ所で取扱っている」).
"""

from __future__ import annotations

from django.db import transaction

from madoguchi.counter.models import Counter, Office, ServiceGroup, WindowService
from madoguchi.organisation.models import DistrictCentre, Section

WITHOUT_RELAY = {("setagaya", "taishido"), ("setagaya", "kyodo"), ("kitazawa", "kitazawa"),
                 ("tamagawa", "todoroki"), ("tamagawa", "yoga"),
                 ("tamagawa", "futakotamagawa"), ("kinuta", "seijo"),
                 ("karasuyama", "karasuyama")}

CONSULTATION = "consultation"  # the service booked consultations queue for

# code, letter, group, minutes, priority, relay (◆), name, English, やさしい日本語
CENTRE_SERVICES = [
    ("certificate", "A", ServiceGroup.CERTIFICATE, 5, 5, True,
     "証明書の取次ぎ（住民票の写し・印鑑登録証明書・課税証明書）",
     "Certificates (residence, seal, tax)", "しょうめいしょ を もらう"),
    ("insurance", "B", ServiceGroup.INSURANCE, 8, 5, True,
     "保険証等の再交付（国民健康保険・高齢受給者証・介護保険・後期高齢者医療）",
     "Health and care insurance cards", "ほけんしょう を もういちど もらう"),
    ("maternal", "C", ServiceGroup.MATERNAL, 10, 4, True,
     "母子健康手帳・妊婦健康診査受診票の交付", "Maternal and child health handbook",
     "ぼしけんこうてちょう を もらう"),
    ("school", "D", ServiceGroup.SCHOOL, 5, 5, True,
     "国・私立学校への入学の届出・就学通知書の再交付・防犯ブザー",
     "School entry notices, security buzzers", "がっこう の とどけ"),
    ("lending", "E", ServiceGroup.LENDING, 5, 6, False,
     "車いす・高枝切ばさみの貸出し、ごみ散乱防止ネットの助成、区広報板の受付",
     "Lending (wheelchairs, pruners), nets, notice boards", "かす もの・ネット・けいじばん"),
    # Booked consultations check in here and join this queue (counter.appointments).
    (CONSULTATION, "F", ServiceGroup.OTHER, 20, 5, False,
     "相談（ご予約の方・オンライン相談）", "Consultations (booked and online)",
     "そうだん・よやく の ある かた"),
]
KUMIN_SERVICES = [
    ("registration", "A", ServiceGroup.REGISTRATION, 15, 5, False,
     "転入・転出・転居の届出", "Moving in, out or within the ward", "ひっこし の とどけ"),
    ("certificate", "B", ServiceGroup.CERTIFICATE, 5, 4, False,
     "住民票の写し・印鑑登録証明書・戸籍の証明", "Certificates", "しょうめいしょ を もらう"),
    ("my-number", "C", ServiceGroup.MY_NUMBER, 15, 5, False,
     "マイナンバーカードの受取り・手続き", "My Number Card", "マイナンバーカード"),
    ("insurance", "D", ServiceGroup.INSURANCE, 10, 5, False,
     "国民健康保険・国民年金の手続き", "National health insurance and pension",
     "こくみんけんこうほけん・ねんきん"),
]


@transaction.atomic
def load_defaults() -> int:
    """An office with the default services and counters for every district centre and
    くみん窓口 that has none yet. Returns the number of offices created."""
    created = 0
    for centre in DistrictCentre.objects.select_related("district__region"):
        if Office.objects.filter(centre=centre).exists():
            continue
        key = (centre.district.region.code, centre.district.code)
        office = Office.objects.create(code=f"{key[0]}-{key[1]}", name=centre.name,
                                       name_en=centre.name_en, centre=centre)
        rows = [r for r in CENTRE_SERVICES if key not in WITHOUT_RELAY or not r[5]]
        _fill(office, rows, counters=2)
        created += 1
    for section in Section.objects.filter(kind__code="kumin-madoguchi").select_related("region"):
        if Office.objects.filter(section=section).exists():
            continue
        office = Office.objects.create(
            code=f"{section.region.code if section.region else section.pk}-kumin",
            name=section.name, name_en=section.name_en, section=section)
        _fill(office, KUMIN_SERVICES, counters=4)
        created += 1
    return created


def _fill(office: Office, rows, *, counters: int) -> None:
    services = [WindowService.objects.create(
        office=office, code=code, letter=letter, group=group, expected_seconds=minutes * 60,
        priority=priority, name=name, name_en=name_en, name_easy=easy, sort_order=i)
        for i, (code, letter, group, minutes, priority, _relay, name, name_en, easy)
        in enumerate(rows)]
    for number in range(1, counters + 1):
        Counter.objects.create(office=office, number=number).services.set(services)
