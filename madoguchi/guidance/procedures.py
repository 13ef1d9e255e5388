"""Names of procedure codes: the procedures catalogue when installed, else the contract table.

The catalogue belongs to the procedures context (issue 5); until it is installed the names
come from the table of ``docs/contracts/issues-4-5-6-interfaces.md``.
"""

from __future__ import annotations

from django.apps import apps

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


def _catalogue_names(codes: list[str]) -> dict[str, str]:
    """Names from the procedures app: its first model with ``code`` and ``name`` fields."""
    if not apps.is_installed("madoguchi.procedures"):
        return {}
    for model in apps.get_app_config("procedures").get_models():
        names = {f.name for f in model._meta.get_fields()}
        if {"code", "name"} <= names:
            try:
                return dict(model._default_manager.filter(code__in=codes)
                            .values_list("code", "name"))
            except Exception:  # noqa: BLE001 - a catalogue not migrated yet: use the table
                return {}
    return {}


def procedure_list(codes: list[str]) -> list[dict[str, str]]:
    """``[{"code", "name"}]`` for the codes, in order, unknown codes left out."""
    if not codes:
        return []
    names = {**CONTRACT_NAMES, **_catalogue_names(codes)}
    return [{"code": code, "name": names[code]} for code in codes if code in names]
