"""The English catalogue is complete, well-formed and the one the running code uses.

UI strings are Japanese msgids (docs/adr/0002-japanese-source-strings.md); English comes
from madoguchi/locale/en/LC_MESSAGES/django.po and its compiled django.mo.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext, ngettext

from tests.tools import needs

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstrs: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: ESCAPES[m.group(1)], text[1:-1])


def parse_po(text: str) -> list[Entry]:
    """A small .po reader: msgid, msgid_plural, msgstr / msgstr[n], flags, obsolete."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry, key = Entry(), None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry.obsolete = True
            elif line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                value = _unquote(line)
                if key == "msgid":
                    entry.msgid += value
                elif key == "msgid_plural":
                    entry.msgid_plural += value
                else:
                    entry.msgstrs[key] += value
            else:
                key, rest = line.split(" ", 1)
                if key == "msgid":
                    entry.msgid = _unquote(rest)
                elif key == "msgid_plural":
                    entry.msgid_plural = _unquote(rest)
                else:
                    entry.msgstrs[key] = _unquote(rest)
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    assert CATALOGUE.exists(), f"no English catalogue at {CATALOGUE}"
    return parse_po(CATALOGUE.read_text(encoding="utf-8"))


def _messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid and not e.obsolete]


def test_catalogue_compiles_with_format_checks(tmp_path):
    msgfmt = needs("msgfmt")  # without it, `make messages` uses the committed .mo as is
    result = subprocess.run(
        [msgfmt, "--check-format", "-o", str(tmp_path / "django.mo"), str(CATALOGUE)],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_header_declares_english_with_two_plural_forms(entries):
    header = entries[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstrs["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstrs["msgstr"]


def test_every_entry_is_translated_and_none_is_fuzzy(entries):
    messages = _messages(entries)
    assert len(messages) > 100
    untranslated = [e.msgid for e in messages if not all(e.msgstrs.values())]
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    plural_without_two_forms = [e.msgid for e in messages if e.msgid_plural is not None
                                and set(e.msgstrs) != {"msgstr[0]", "msgstr[1]"}]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    assert not plural_without_two_forms, plural_without_two_forms


def test_translations_keep_the_placeholders(entries):
    wrong = [(e.msgid, key) for e in _messages(entries) for key, text in e.msgstrs.items()
             if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(e.msgid))]
    assert not wrong, wrong


def test_english_translations_are_english(entries):
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    # Japanese names kept on purpose inside an English sentence (booth and centre names
    # are data and are Japanese).
    # Synonym examples and the masks written into the learning-loop log are Japanese data.
    allowed = {"例: 相談ブース2", "空欄なら「（地区名）まちづくりセンター」になります。",
               "国保＝国民健康保険のような言い換えを登録し、検索にすぐ反映します。",
               "例: 国保の加入、介護認定、ひっこし。区民の氏名や連絡先は入れないでください。",
               "記録には個人情報を残しません。数字・メールアドレス・電話番号は伏せ字（#、[メール]、"
               "[電話]）にし、200字までにしています。"}
    # Examples of what to type and quoted placeholders stay Japanese: residents type Japanese
    # names, kana and 和暦 dates even on English pages.
    examples = re.compile(r"\(e\.g\. .*\)|“[^”]*”|\"[^\"]*\"|in katakana or hiragana")

    def english(text: str) -> bool:
        return not japanese.search(examples.sub("", text))

    not_english = [e.msgid for e in _messages(entries) if e.msgid not in allowed
                   and not all(english(text) for text in e.msgstrs.values())]
    assert not not_english, not_english


def test_compiled_catalogue_matches_the_po_file(entries):
    """The committed .mo is current: every entry reads back as written in the .po."""
    assert COMPILED.exists(), "run `make messages` and commit django.mo"
    stale = []
    with translation.override("en"):
        for e in _messages(entries):
            if e.msgid_plural is None:
                if gettext(e.msgid) != e.msgstrs["msgstr"]:
                    stale.append(e.msgid)
            elif (ngettext(e.msgid, e.msgid_plural, 1) != e.msgstrs["msgstr[0]"]
                  or ngettext(e.msgid, e.msgid_plural, 2) != e.msgstrs["msgstr[1]"]):
                stale.append(e.msgid)
    assert not stale, f"django.mo is older than django.po (run `make messages`): {stale}"


def test_known_strings_render_in_english():
    with translation.override("en"):
        assert gettext("本文へ移動") == "Skip to main content"
        assert gettext("職員ログイン") == "Staff sign-in"
        assert gettext("お近くのまちづくりセンター") == "Your nearest district centre"
        assert ngettext("検索結果 %(counter)s件", "検索結果 %(counter)s件", 1) % {
            "counter": 1} == "1 result"
        assert ngettext("検索結果 %(counter)s件", "検索結果 %(counter)s件", 3) % {
            "counter": 3} == "3 results"
        html = Template(
            "{% load i18n %}{% translate '監査ログ' %}|"
            "{% blocktranslate with name=n %}{{ name }}地区{% endblocktranslate %}"
        ).render(Context({"n": "Ikejiri"}))
        assert html == "Audit log|Ikejiri district"
    with translation.override("ja"):
        assert gettext("本文へ移動") == "本文へ移動"
