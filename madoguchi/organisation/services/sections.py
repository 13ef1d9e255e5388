"""Writes to section kinds and sections (offices' sections, centres, partners, agencies)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from madoguchi.organisation import rules
from madoguchi.organisation.codes import section_code
from madoguchi.organisation.models import District, Region, Section, SectionKind
from madoguchi.organisation.services._common import (
    CODE_HINT,
    CODE_RE,
    SECTION_CODE_RE,
    Problems,
    save,
)


def default_section_code(*, kind: SectionKind, region: Region | None,
                         district: District | None) -> str:
    """``kazei``, ``setagaya/hoken-fukushi`` or ``setagaya/ikejiri/anshin``
    (``codes.section_code``); the kind's code when the place is missing (the place is
    refused by ``rules.section_place`` then)."""
    return section_code(kind, region=region, district=district) or kind.code


@transaction.atomic
def section_kind_create(*, code: str, name: str, tier: str, name_en: str = "",
                        handles: str = "", handles_en: str = "",
                        sort_order: int = 0) -> SectionKind:
    problems = Problems()
    if not CODE_RE.match(code):
        problems.add("code", _(CODE_HINT))
    elif SectionKind.objects.filter(code=code).exists():
        problems.add("code", _("種別コード「%(code)s」は既に使われています。") % {"code": code})
    kind = SectionKind(code=code, name=name.strip(), name_en=name_en.strip(), tier=tier,
                       handles=handles.strip(), handles_en=handles_en.strip(),
                       sort_order=sort_order)
    problems.check(kind)
    save(kind)
    return kind


@transaction.atomic
def section_kind_update(*, kind: SectionKind, name: str, tier: str, name_en: str = "",
                        handles: str = "", handles_en: str = "",
                        sort_order: int = 0) -> SectionKind:
    kind = SectionKind.objects.select_for_update().get(pk=kind.pk)
    problems = Problems()
    if tier != kind.tier and kind.sections.exists():
        problems.add("tier", _("課・機関が登録されている種別の階層は変更できません。"))
    kind.name, kind.name_en, kind.tier = name.strip(), name_en.strip(), tier
    kind.handles, kind.handles_en = handles.strip(), handles_en.strip()
    kind.sort_order = sort_order
    problems.check(kind)
    save(kind)
    return kind


def _place(section: Section, problems: Problems, *, region: Region | None,
           district: District | None) -> None:
    """Check that region and district fit the kind's tier; fill region from district."""
    problems.extend(rules.section_place(kind=section.kind, region=region, district=district))
    if district is not None and rules.TIER_PLACE[section.kind.tier][1]:
        region = district.region
    section.region, section.district = region, district


def _section_fields(section: Section, problems: Problems, *, name: str, office: str,
                    phone: str, is_active: bool) -> None:
    section.name, section.office = name.strip(), office.strip()
    section.phone, section.is_active = phone.strip(), is_active
    problems.extend(rules.contact(phone=section.phone))


@transaction.atomic
def section_create(*, kind: SectionKind, name: str, code: str = "", office: str = "",
                   region: Region | None = None, district: District | None = None,
                   phone: str = "", is_active: bool = True) -> Section:
    """A section; without ``code`` it gets the default code for its kind and place."""
    problems = Problems()
    section = Section(kind=kind)
    _place(section, problems, region=region, district=district)
    _section_fields(section, problems, name=name, office=office, phone=phone,
                    is_active=is_active)
    code = code.strip() or default_section_code(kind=kind, region=section.region,
                                                district=section.district)
    section.code = code
    if not SECTION_CODE_RE.match(code):
        problems.add("code", _("コードは半角英小文字・数字・ハイフンを「/」で区切って"
                               "入力してください。"))
    elif Section.objects.filter(code=code).exists():
        problems.add("code", _("課・機関コード「%(code)s」は既に使われています。")
                     % {"code": code})
    problems.check(section)
    save(section)
    return section


@transaction.atomic
def section_update(*, section: Section, name: str, office: str = "",
                   region: Region | None = None, district: District | None = None,
                   phone: str = "", is_active: bool = True) -> Section:
    section = Section.objects.select_for_update().select_related("kind").get(pk=section.pk)
    problems = Problems()
    _place(section, problems, region=region, district=district)
    _section_fields(section, problems, name=name, office=office, phone=phone,
                    is_active=is_active)
    problems.check(section)
    save(section)
    return section
