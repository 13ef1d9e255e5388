"""The ward's default routing table and online services (``load_consultation_setup``).

Idempotent: a rule is added only when no rule of the same category, keywords and section
kind exists; an online service only when the centre has no row for that kind yet. Edits
made by administrators on the routing pages are never overwritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from madoguchi.consultations.models import Category, OnlineService, RoutingRule
from madoguchi.organisation.models import DistrictCentre, SectionKind

# (category, keywords, section kind code, priority). Keyword rules come first.
DEFAULT_RULES: list[tuple[str, str, str, int]] = [
    (Category.ELDERLY, "", "hoken-fukushi", 100),
    (Category.DISABILITY, "自立生活、ひとり暮らし", "hands", 150),
    (Category.DISABILITY, "", "hoken-fukushi", 100),
    (Category.CHILDREN, "", "kodomo-katei", 100),
    (Category.HEALTH, "", "kenko-zukuri", 100),
    (Category.HARDSHIP, "", "seikatsu-shien", 100),
    (Category.RESIDENT_TAX, "", "kazei", 100),
    (Category.TAX_PAYMENT, "", "nozei", 100),
    (Category.NHI_PENSION, "", "kokuho-nenkin", 100),
    (Category.CARE_PREMIUM, "", "kaigo-hoken", 100),
    (Category.NURSERY, "入園、申込", "hoiku", 150),
    (Category.NURSERY, "", "kodomo-katei", 100),
    (Category.HOUSING, "", "setagaya-trust", 100),
    (Category.EMPLOYMENT, "", "shigotonet", 100),
    (Category.COMMUNITY, "", "chiiki-shinko", 100),
    (Category.GUARDIANSHIP, "", "seinen-koken", 100),
    (Category.REGISTRATION, "", "kumin-madoguchi", 100),
    (Category.OTHER, "", "hoken-fukushi", 100),
]

# Stage 1: the four health & welfare sections; stage 3: head-office tax and insurance.
MODEL_CENTRE_KINDS = ["seikatsu-shien", "hoken-fukushi", "kenko-zukuri", "kodomo-katei",
                      "kazei", "kokuho-nenkin"]
# The plan's model centres (one per region), by ``region/district``.
MODEL_CENTRES = ["setagaya/ikejiri", "kitazawa/matsubara", "tamagawa/yoga",
                 "kinuta/funabashi", "karasuyama/kamikitazawa"]
DEFAULT_SINCE = dt.date(2023, 4, 1)


@dataclass
class SetupReport:
    rules_created: int = 0
    services_created: int = 0
    missing: list[str] = field(default_factory=list)


def load_consultation_setup() -> SetupReport:
    report = SetupReport()
    kinds = {kind.code: kind for kind in SectionKind.objects.all()}
    with transaction.atomic():
        for category, keywords, code, priority in DEFAULT_RULES:
            kind = kinds.get(code)
            if kind is None:
                report.missing.append(code)
                continue
            _, created = RoutingRule.objects.get_or_create(
                category=category, keywords=keywords, section_kind=kind,
                defaults={"priority": priority, "active": True})
            report.rules_created += created
        centres = [c for c in DistrictCentre.objects.select_related("district__region")
                   if c.district.key in MODEL_CENTRES]
        for centre in centres:
            for code in MODEL_CENTRE_KINDS:
                kind = kinds.get(code)
                if kind is None:
                    continue
                _, created = OnlineService.objects.get_or_create(
                    centre=centre, section_kind=kind,
                    defaults={"enabled": True, "since": DEFAULT_SINCE})
                report.services_created += created
    return report
