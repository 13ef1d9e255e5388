"""No line-wrap space inside Japanese text in the ward's data files (「介護や支援が 必要な」):
YAML folds a wrapped line into a space, which Japanese does not use. The やさしい日本語
answers (``easy_answer``) put spaces between phrases on purpose and are left alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1] / "madoguchi"
WIDE = r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]"
WRAP_SPACE = re.compile(f"{WIDE}[ \n]{WIDE}")
# Search keywords and synonyms are lists of words on purpose.
SPACED_ON_PURPOSE = {"easy_answer", "keywords", "variants", "terms", "title"}


def data_files() -> list[Path]:
    return sorted(p for p in ROOT.glob("*/data/**/*") if p.suffix in (".yaml", ".json"))


def texts(value, path: str = ""):
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in SPACED_ON_PURPOSE:
                yield from texts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def test_the_data_files_are_found():
    names = {p.name for p in data_files()}
    assert {"kaigo-nintei.yaml", "setagaya.json", "anshin.yaml"} <= names


def test_no_wrap_space_inside_japanese_text():
    found = []
    for path in data_files():
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        for where, value in texts(data):
            # A paragraph break (a blank line, or a line ending in 。) is not a wrap.
            for match in WRAP_SPACE.finditer(value):
                if match.group(0)[1] == "\n" and match.group(0)[0] in "。」）":
                    continue
                around = value[max(0, match.start() - 8):match.end() + 8]
                found.append(f"{path.relative_to(ROOT)}{where}: …{around}…")
    assert not found, "\n".join(found[:30])
