"""YAML in and out for definitions: safe, without aliases, with Japanese error messages.

Aliases (``*name``) are refused: a few lines of anchors and aliases can expand into an
enormous document (the "billion laughs"), and a definition never needs them. JSON is YAML,
so administrators may paste either.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.utils.translation import gettext as _

MAX_CHARS = 200_000


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # noqa: ANN001, ANN201
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases are not allowed", event.start_mark)
        return super().compose_node(parent, index)


_FAST = getattr(yaml, "CSafeLoader", None)  # libyaml, when PyYAML was built with it


def _load(text: str) -> Any:
    if _FAST is None:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 (safe loader subclass)
    for event in yaml.parse(text, Loader=_FAST):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases are not allowed", event.start_mark)
    return yaml.load(text, Loader=_FAST)  # noqa: S506 (libyaml's safe loader)


def parse_yaml(text: str) -> Any:
    """The data in ``text``; ValueError with a message for people (line and column)."""
    if len(text) > MAX_CHARS:
        raise ValueError(_("長すぎます（%(max)d文字まで）。") % {"max": MAX_CHARS})
    try:
        return _load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = (_("%(line)d行目%(column)d文字目") % {"line": mark.line + 1,
                                                  "column": mark.column + 1}) if mark else ""
        if "aliases are not allowed" in str(error.problem):
            return_message = _("別名（*で始まる参照）は使えません。内容をそのまま書いてください。")
        else:
            return_message = _("YAML（またはJSON）の書き方に誤りがあります。字下げ（行頭の空白）、"
                               "「:」の後の空白、かっこの閉じ忘れを確かめてください。")
        raise ValueError(f"{where}：{return_message}" if where else return_message) from None
    except yaml.YAMLError:
        raise ValueError(_("YAML（またはJSON）として読めません。")) from None


def dump_yaml(data: Any) -> str:
    """Readable YAML: Japanese as is, keys in their given order."""
    if data in (None, [], {}):
        return ""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88,
                          default_flow_style=False)
