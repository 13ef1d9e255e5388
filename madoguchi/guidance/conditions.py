"""Situations an answer presupposes (``data/conditions.yaml``): an entry whose question
names a situation (a death, ...) that the resident's question does not mention is about
another case, so its score is lowered. The list is the ward's data, not tuned to any
question."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from madoguchi.guidance.text import prepare

CONDITIONS_FILE = Path(__file__).resolve().parent / "data" / "conditions.yaml"
# An entry about a situation the question does not mention keeps this share of its score.
PENALTY = 0.4


@dataclass(frozen=True)
class Condition:
    name: str
    terms: tuple[str, ...]

    def named_in(self, text: str) -> bool:
        prepared = prepare(text)
        return any(term in prepared for term in self.terms)


@lru_cache(maxsize=1)
def conditions() -> tuple[Condition, ...]:
    rows = yaml.safe_load(CONDITIONS_FILE.read_text(encoding="utf-8")) or []
    return tuple(Condition(str(row["name"]), tuple(prepare(str(t)) for t in row["terms"]))
                 for row in rows)


def unmet(query: str, questions: dict[int, str]) -> set[int]:
    """The ids among ``questions`` (entry id → question text) whose question presupposes
    a situation that ``query`` does not mention."""
    missing = [c for c in conditions() if not c.named_in(query)]
    if not missing:
        return set()
    return {entry_id for entry_id, question in questions.items()
            if any(c.named_in(question) for c in missing)}
