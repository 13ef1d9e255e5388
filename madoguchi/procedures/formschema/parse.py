"""Reading a form definition into a ``FormSpec`` (formschema.spec): every section and field
checked, then the whole form (``formschema.checks``: names, conditions, cycles; the prefill
groups here), with every problem reported at once."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from madoguchi.procedures.formschema.checks import check_conditions, check_names
from madoguchi.procedures.formschema.spec import (
    CHOICE_TYPES,
    COMMON_KEYS,
    HOUSEHOLD_SOURCES,
    MEMBER_SOURCES,
    MY_NUMBER_LABEL,
    MY_NUMBER_NAMES,
    NAME_PATTERN,
    OPERATORS,
    RESIDENT_SOURCES,
    TYPE_OPTIONS,
    Choice,
    Condition,
    FieldSpec,
    FormSpec,
    SectionSpec,
)
from madoguchi.procedures.problems import (
    Problems,
    bool_value,
    check_keys,
    int_value,
    list_value,
    text_value,
)


def parse_form(data: Any, problems: Problems | None = None) -> FormSpec:
    """The FormSpec of ``data``; reports to ``problems`` (or raises DefinitionInvalid)."""
    own = problems is None
    problems = problems if problems is not None else Problems()
    sections: list[SectionSpec] = []
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list) \
            or not data["sections"]:
        problems.add(_("申請書には「sections:」（区分の一覧）を書き、少なくとも1つの区分を"
                       "作ってください。"))
    else:
        check_keys(problems, data, {"sections"})
        for index, raw in enumerate(data["sections"], start=1):
            with problems.at(_("区分%(n)d") % {"n": index}):
                section = _parse_section(raw, problems)
                if section:
                    sections.append(section)
    spec = FormSpec(tuple(sections))
    check_names(spec, problems)
    _check_prefill_groups(spec, problems)
    check_conditions(spec, problems)
    if own:
        problems.raise_if_any()
    return spec


def _parse_section(raw: Any, problems: Problems) -> SectionSpec | None:
    if not isinstance(raw, dict):
        problems.add(_("区分は「title:」と「fields:」を持つ形で書いてください。"))
        return None
    check_keys(problems, raw, {"title", "title_en", "help", "help_en", "fields"})
    title = text_value(problems, raw, "title", required=True, max_length=100,
                       label=_("区分の見出し"))
    fields = _parse_fields(list_value(problems, raw, "fields"), problems, in_group=False)
    if not raw.get("fields"):
        problems.add(_("区分に項目（fields:）がありません。"))
    return SectionSpec(
        title=title, fields=tuple(fields),
        title_en=text_value(problems, raw, "title_en", max_length=200),
        help=text_value(problems, raw, "help", max_length=2000),
        help_en=text_value(problems, raw, "help_en", max_length=4000),
    )


def _parse_fields(items: list, problems: Problems, *, in_group: bool) -> list[FieldSpec]:
    fields = []
    for index, raw in enumerate(items, start=1):
        name = raw.get("name") if isinstance(raw, dict) else None
        place = (_("項目「%(name)s」") % {"name": name} if isinstance(name, str) and name
                 else _("%(n)d番目の項目") % {"n": index})
        with problems.at(place):
            spec = _parse_field(raw, problems, in_group=in_group)
            if spec:
                fields.append(spec)
    return fields


def _parse_field(raw: Any, problems: Problems, *, in_group: bool) -> FieldSpec | None:
    if not isinstance(raw, dict):
        problems.add(_("項目は「name:」「type:」「label:」を持つ形で書いてください。"))
        return None
    name = raw.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        problems.add(_("項目名（name）は半角英小文字で始まり、英小文字・数字・_ だけの40文字以内"
                       "にしてください（例：birth_date）。"))
        name = ""
    kind = raw.get("type")
    if kind not in TYPE_OPTIONS:
        problems.add(_("種類「%(type)s」は使えません。使える種類：%(types)s")
                     % {"type": kind, "types": ", ".join(TYPE_OPTIONS)})
        return None
    if kind == "group" and in_group:
        problems.add(_("繰り返しの中に、さらに繰り返し（group）は作れません。"))
        return None
    check_keys(problems, raw, COMMON_KEYS | TYPE_OPTIONS[kind])
    label = text_value(problems, raw, "label", required=True, max_length=200,
                       label=_("項目の見出し"))
    if name in MY_NUMBER_NAMES or MY_NUMBER_LABEL.search(label or "") \
            or MY_NUMBER_LABEL.search(str(raw.get("label_en", ""))):
        problems.add(_("マイナンバー（個人番号）を書いてもらう項目は作れません。"
                       "この仕組みではマイナンバーを集めません。"))
    options = _parse_options(kind, raw, problems)
    choices = _parse_choices(raw, problems) if kind in CHOICE_TYPES else ()
    if kind == "multiselect":
        _check_selection_bounds(options, choices, problems)
    fields: tuple[FieldSpec, ...] = ()
    if kind == "group":
        items = list_value(problems, raw, "fields")
        if not items:
            problems.add(_("繰り返し（group）には、1行に入れる項目（fields:）を書いてください。"))
        fields = tuple(_parse_fields(items, problems, in_group=True))
    required = bool_value(problems, raw, "required")
    show_when = parse_condition(raw, "show_when", problems)
    required_when = parse_condition(raw, "required_when", problems)
    if required and required_when:
        problems.add(_("「required: true」の項目には「required_when」は要りません。"
                       "どちらか一方にしてください。"))
    if kind == "group" and required_when:
        problems.add(_("繰り返し（group）には「required_when」は使えません。"
                       "行の数は「min」で決めてください。"))
    return FieldSpec(
        name=name, type=kind, label=label,
        label_en=text_value(problems, raw, "label_en", max_length=300),
        help=text_value(problems, raw, "help", max_length=2000),
        help_en=text_value(problems, raw, "help_en", max_length=4000),
        required=required, show_when=show_when, required_when=required_when,
        options=options, choices=choices, fields=fields,
        staff_note=text_value(problems, raw, "staff_note", max_length=2000),
        prefill=_parse_prefill(raw, kind, problems, in_group=in_group),
    )


def _parse_prefill(raw: dict, kind: str, problems: Problems, *, in_group: bool) -> str:
    """The ``prefill:`` source, checked against the place and type of the field."""
    value = raw.get("prefill")
    if value is None:
        return ""
    sources = MEMBER_SOURCES if in_group else {**RESIDENT_SOURCES, **HOUSEHOLD_SOURCES}
    if not isinstance(value, str) or value not in sources:
        problems.add(_("「prefill: %(value)s」は使えません。ここで使えるもの：%(sources)s")
                     % {"value": value, "sources": ", ".join(sources)})
        return ""
    if kind not in sources[value]:
        problems.add(_("「prefill: %(value)s」は種類「%(type)s」の項目には使えません"
                       "（使える種類：%(types)s）。")
                     % {"value": value, "type": kind, "types": ", ".join(sorted(sources[value]))})
        return ""
    return value


def _check_prefill_groups(spec: FormSpec, problems: Problems) -> None:
    """Rows' ``member.*`` sources need their group to take its rows from the household."""
    for top in spec.top_fields():
        if top.is_group and not top.prefill:
            for sub in top.fields:
                if sub.prefill:
                    with problems.at(_("項目「%(name)s」") % {"name": sub.name}):
                        problems.add(_("「prefill: %(value)s」を使うには、繰り返し「%(group)s」に"
                                       "「prefill: household.children」か「prefill: "
                                       "household.members」を書いてください。")
                                     % {"value": sub.prefill, "group": top.name})


def _parse_options(kind: str, raw: dict, problems: Problems) -> dict[str, Any]:
    options: dict[str, Any] = {}

    def put(key: str, value: Any) -> None:
        if value is not None and key in raw:
            options[key] = value

    if kind in ("text", "textarea", "kana"):
        put("max_length", int_value(problems, raw, "max_length", minimum=1, maximum=10_000))
    if kind == "textarea":
        put("rows", int_value(problems, raw, "rows", minimum=2, maximum=20))
    if kind == "name":
        put("with_kana", bool_value(problems, raw, "with_kana", default=True))
    if kind == "date":
        put("past", bool_value(problems, raw, "past"))
        put("future", bool_value(problems, raw, "future"))
        if raw.get("past") is True and raw.get("future") is True:
            problems.add(_("「past」と「future」を両方 true にはできません。"))
        after = raw.get("after")
        if after is not None and (not isinstance(after, str) or not NAME_PATTERN.match(after)):
            problems.add(_("「after」には、この日より前でなければならない日付の項目名を書いて"
                           "ください（例：after: valid_from）。"))
        elif after is not None:
            options["after"] = after
    if kind in ("integer", "money", "multiselect", "group"):
        low = -10**12 if kind in ("integer", "money") else 0
        put("min", int_value(problems, raw, "min", minimum=low, maximum=10**12))
        put("max", int_value(problems, raw, "max", minimum=max(low, 1), maximum=10**12))
        if isinstance(options.get("min"), int) and isinstance(options.get("max"), int) \
                and options["min"] > options["max"]:
            problems.add(_("「min」が「max」より大きくなっています。"))
    if kind == "integer":
        put("unit", text_value(problems, raw, "unit", max_length=10))
    if kind == "digits":
        for key in ("length", "min_length", "max_length"):
            put(key, int_value(problems, raw, key, minimum=1, maximum=30))
        if "length" in raw and ("min_length" in raw or "max_length" in raw):
            problems.add(_("「length」と「min_length」「max_length」は同時に使えません。"))
    if kind == "address":
        put("within", text_value(problems, raw, "within", max_length=40))
    if kind == "group":
        if options.get("max", 10) > 50:
            problems.add(_("繰り返しの「max」は50までにしてください。"))
        put("item_label", text_value(problems, raw, "item_label", max_length=40))
        put("item_label_en", text_value(problems, raw, "item_label_en", max_length=80))
    return options


def _parse_choices(raw: dict, problems: Problems) -> tuple[Choice, ...]:
    items = list_value(problems, raw, "choices")
    if not items:
        problems.add(_("選択肢（choices:）を1つ以上書いてください。"))
        return ()
    choices: list[Choice] = []
    for index, item in enumerate(items, start=1):
        if isinstance(item, str):
            item = {"value": item, "label": item}
        if isinstance(item, (bool, int, float)):
            item = {"value": item}  # reported below: values are text
        if not isinstance(item, dict):
            problems.add(_("%(n)d番目の選択肢は「value:」と「label:」で書いてください。")
                         % {"n": index})
            continue
        check_keys(problems, item, {"value", "label", "label_en"})
        value = item.get("value")
        if not isinstance(value, str) or not value.strip() or len(value) > 100:
            problems.add(_("%(n)d番目の選択肢の値（value）は100文字以内の文字列にしてください"
                           "（yes・no・on・off・数字は引用符で囲んでください）。") % {"n": index})
            continue
        label = item.get("label", value)
        if not isinstance(label, str) or not label.strip():
            problems.add(_("選択肢「%(value)s」の表示（label）を書いてください。")
                         % {"value": value})
            continue
        if any(c.value == value for c in choices):
            problems.add(_("選択肢の値「%(value)s」が重複しています。") % {"value": value})
            continue
        label_en = item.get("label_en", "")
        choices.append(Choice(value.strip(), label.strip(),
                              label_en.strip() if isinstance(label_en, str) else ""))
    return tuple(choices)


def _check_selection_bounds(options: dict, choices: tuple[Choice, ...],
                            problems: Problems) -> None:
    if choices and options.get("max", 0) > len(choices):
        problems.add(_("「max」が選択肢の数（%(n)d）より大きくなっています。")
                     % {"n": len(choices)})


def parse_condition(raw: dict, key: str, problems: Problems) -> Condition | None:
    value = raw.get(key)
    if value is None:
        return None
    with problems.at(key):
        if not isinstance(value, dict) or not isinstance(value.get("field"), str):
            problems.add(_("条件は「{field: 項目名, equals: 値}」のように書いてください。"))
            return None
        ops = [op for op in OPERATORS if op in value]
        check_keys(problems, value, {"field", *OPERATORS})
        if len(ops) != 1:
            problems.add(_("条件には equals・not_equals・in・filled のうち"
                           "1つだけを書いてください。"))
            return None
        op = ops[0]
        operand = value[op]
        if op == "in" and (not isinstance(operand, list) or not operand):
            problems.add(_("「in」には値の一覧を書いてください（例：in: [a, b]）。"))
            return None
        if op == "filled" and operand is not True:
            problems.add(_("「filled」は「filled: true」と書いてください。"))
            return None
        return Condition(value["field"], op, operand)
