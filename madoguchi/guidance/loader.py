"""Loading the seed knowledge base (``data/kb/*.yaml``) and synonyms (``data/synonyms.yaml``).

Idempotent: new entries are created published; an existing entry is brought up to date
with the file only while no staff member has changed its status (staff edits are kept).
Synonym groups are matched by their canonical term. The index is rebuilt at the end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from madoguchi.guidance.index import index_all
from madoguchi.guidance.models import Entry, EntryStatus, EntryStatusChange, Synonym
from madoguchi.organisation.models import SectionKind

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    kept: int = 0
    synonyms: int = 0
    indexed: int = 0
    problems: list[str] = field(default_factory=list)


def read_synonyms(path: Path) -> list[tuple[str, list[str], str]]:
    """``[(canonical, variants, note)]`` from a YAML list of ``{canonical, variants, note}``
    or a mapping ``canonical: [variants]``."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if isinstance(data, dict):
        data = data.get("synonyms", data)
    if isinstance(data, dict):
        data = [{"canonical": k, "variants": v} for k, v in data.items()]
    groups = []
    for item in data:
        if not isinstance(item, dict) or not item.get("canonical"):
            continue
        variants = item.get("variants") or []
        if isinstance(variants, str):
            variants = [variants]
        groups.append((str(item["canonical"]).strip(),
                       [str(v).strip() for v in variants if str(v).strip()],
                       str(item.get("note") or "")[:200]))
    return groups


def read_entries(kb_dir: Path) -> list[dict]:
    rows: list[dict] = []
    for path in sorted(kb_dir.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if isinstance(item, dict):
                rows.append({**item, "_file": path.name})
    return rows


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [str(v).strip() for v in value if str(v).strip()]


def _fields(row: dict, kinds: dict[str, SectionKind]) -> dict:
    reviewed = row.get("reviewed")
    if isinstance(reviewed, str):
        reviewed = dt.date.fromisoformat(reviewed)
    return {
        "section_kind": kinds[row["section"]],
        "question": str(row["question"]).strip(),
        "answer": str(row["answer"]).strip(),
        "easy_answer": str(row.get("easy_answer") or "").strip(),
        "question_en": str(row.get("question_en") or "").strip(),
        "answer_en": str(row.get("answer_en") or "").strip(),
        "keywords": _as_list(row.get("keywords")),
        "procedure_codes": _as_list(row.get("procedures")),
        "reviewed_on": reviewed if isinstance(reviewed, dt.date) else None,
    }


@transaction.atomic
def load_guidance(*, data_dir: Path = DATA_DIR) -> LoadReport:
    report = LoadReport()
    for canonical, variants, note in read_synonyms(data_dir / "synonyms.yaml"):
        Synonym.objects.update_or_create(canonical=canonical,
                                         defaults={"variants": variants, "note": note})
        report.synonyms += 1
    kinds = {kind.code: kind for kind in SectionKind.objects.all()}
    existing = {entry.code: entry for entry in Entry.objects.all()}
    touched = set(EntryStatusChange.objects.exclude(by=None).values_list("entry_id", flat=True))
    for row in read_entries(data_dir / "kb"):
        code = str(row.get("code") or "").strip()
        if not code or row.get("section") not in kinds or not row.get("question") \
                or not row.get("answer"):
            report.problems.append(f"{row.get('_file')}: {code or '?'}")
            continue
        values = _fields(row, kinds)
        entry = existing.get(code)
        if entry is None:
            entry = Entry.objects.create(code=code, status=EntryStatus.PUBLISHED, **values)
            EntryStatusChange.objects.create(entry=entry, to_status=EntryStatus.PUBLISHED,
                                             note="seed")
            existing[code] = entry
            report.created += 1
        elif entry.pk in touched:
            report.kept += 1
        elif any(getattr(entry, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(entry, name, value)
            entry.save()
            report.updated += 1
    report.indexed = index_all()
    return report
