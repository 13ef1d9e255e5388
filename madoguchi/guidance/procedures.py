"""Names of procedure codes: the published procedures catalogue, else the contract table.

The catalogue belongs to the procedures context, which registers its selector here
(``register_catalogue`` from ``ProceduresConfig.ready()``): guidance imports nothing of
procedures, the dependency runs one way (procedures → guidance). A code the catalogue has
not published (yet) is named from the table of
``docs/contracts/issues-4-5-6-interfaces.md`` and not linked.
"""

from __future__ import annotations

from collections.abc import Callable

# codes → {code: (name, English name)} of the published procedures among them.
CatalogueNames = Callable[[list[str]], dict[str, tuple[str, str]]]
_catalogues: list[CatalogueNames] = []


def register_catalogue(names: CatalogueNames) -> None:
    """A catalogue names its published procedures (idempotent)."""
    if names not in _catalogues:
        _catalogues.append(names)

CONTRACT_NAMES: dict[str, str] = {
    "jido-teate-nintei": "児童手当の認定請求",
    "kokuho-kanyu": "国民健康保険の加入届",
    "kaigo-nintei": "要介護・要支援認定の申請",
    "shintai-techo": "身体障害者手帳の交付申請",
    "kazei-shomei": "課税（非課税）証明書の交付申請",
    "ninshin-todoke": "妊娠の届出",
    "nenkin-menjo": "国民年金保険料の免除・納付猶予の申請",
    "hoiku-riyo": "保育施設の利用申込",
    "jumin-hyo": "住民票の写しの交付請求",
    "tennyu-todoke": "転入届",
    "seikatsu-hogo": "生活保護の申請",
    "kogaku-ryoyohi": "国民健康保険の高額療養費の支給申請",
}


def procedure_list(codes: list[str]) -> list[dict]:
    """``[{"code", "name", "name_en", "published"}]`` for the codes, in order, unknown
    codes left out. ``published``: the catalogue has a published version (its page can be
    linked); otherwise the name comes from the contract table."""
    if not codes:
        return []
    catalogue: dict[str, tuple[str, str]] = {}
    for names in _catalogues:
        catalogue.update(names(codes))
    rows = []
    for code in codes:
        if code in catalogue:
            name, name_en = catalogue[code]
            rows.append({"code": code, "name": name, "name_en": name_en, "published": True})
        elif code in CONTRACT_NAMES:
            rows.append({"code": code, "name": CONTRACT_NAMES[code], "name_en": "",
                         "published": False})
    return rows
