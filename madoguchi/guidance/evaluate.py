"""`python -m madoguchi.guidance.evaluate` (`make eval-guidance`): quality of the section ranking.

Reads a labelled question set (TSV with a header: ``id``, ``type``, ``question``,
``sections`` — acceptable section-kind codes separated by ``|``; default
``madoguchi/guidance/data/eval/questions.tsv``), loads the organisation and the seed
knowledge base into a scratch SQLite database (``var/eval/guidance.sqlite3``, rebuilt each
run; ``EVAL_DATABASE_URL`` names another) and prints Recall@1, Recall@3 and MRR overall and
per question type for the engine and two baselines, in the same run:

- ``like``: substring search — an entry scores one point for every piece of the question
  (split at spaces and punctuation) found with SQL ``LIKE`` in its question, keywords or
  answer; sections ranked by their best entry.
- ``bigram``: BM25 over raw character bigrams of the entries (question, keywords, answer)
  without any normalisation; sections ranked as the engine ranks them.

Options: ``--file PATH``, ``--misses`` (list the engine's misses), ``--json PATH``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "eval" / "questions.tsv"
OUT = ROOT / "var" / "eval"


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: str
    accept: frozenset[str]


def read_questions(path: Path) -> list[Question]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader((line for line in handle if not line.startswith("#")),
                                delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            accept = frozenset(c.strip() for c in (row.get("sections") or "").split("|")
                               if c.strip())
            if row.get("question") and accept:
                rows.append(Question(row.get("id", ""), row.get("type", "") or "-",
                                     row["question"], accept))
    return rows


# --------------------------------------------------------------------------- rankers


def engine_ranker() -> Callable[[str], list[str]]:
    from madoguchi.guidance.selectors import guide

    def rank(text: str) -> list[str]:
        return [hit.kind.code for hit in guide(text, limit_sections=10, limit_faqs=3).sections]

    return rank


_PIECES = re.compile(r"[\s、。，．,.!?！？「」（）()・/]+")


def like_ranker() -> Callable[[str], list[str]]:
    from django.db.models import Q

    from madoguchi.guidance.models import Entry, EntryStatus

    def rank(text: str) -> list[str]:
        pieces = [p for p in _PIECES.split(text) if p][:20]
        points: Counter = Counter()
        kinds: dict[int, str] = {}
        for piece in pieces:
            rows = (Entry.objects.filter(status=EntryStatus.PUBLISHED)
                    .filter(Q(question__icontains=piece) | Q(answer__icontains=piece)
                            | Q(keywords__icontains=piece))
                    .values_list("pk", "section_kind__code"))
            for pk, code in rows:
                points[pk] += 1
                kinds[pk] = code
        best: dict[str, int] = {}
        for pk, score in points.items():
            best[kinds[pk]] = max(best.get(kinds[pk], 0), score)
        return [code for code, _s in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))]

    return rank


def _bigrams(text: str) -> list[str]:
    return [text[i:i + 2] for i in range(len(text) - 1)]


def bigram_ranker() -> Callable[[str], list[str]]:
    from madoguchi.guidance.models import Entry, EntryStatus
    from madoguchi.guidance.selectors import KIND_DECAY

    docs = []
    for entry in (Entry.objects.filter(status=EntryStatus.PUBLISHED)
                  .select_related("section_kind").order_by("pk")):
        text = "\n".join([entry.question, " ".join(entry.keywords or []), entry.answer])
        docs.append((entry.section_kind.code, Counter(_bigrams(text))))
    n = len(docs)
    avg = sum(sum(c.values()) for _k, c in docs) / max(1, n)
    df = Counter(g for _k, c in docs for g in c)
    k1, b = 1.2, 0.75

    def rank(text: str) -> list[str]:
        query = set(_bigrams(text))
        per_kind: dict[str, list[float]] = defaultdict(list)
        for code, counts in docs:
            length = sum(counts.values())
            score = 0.0
            for gram in query:
                tf = counts.get(gram, 0)
                if tf:
                    idf = math.log(1 + (n - df[gram] + 0.5) / (df[gram] + 0.5))
                    score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avg))
            if score > 0:
                per_kind[code].append(score)
        ranked = {code: sum(w * s for w, s in zip(KIND_DECAY, sorted(scores, reverse=True),
                                                   strict=False))
                  for code, scores in per_kind.items()}
        return [code for code, _s in sorted(ranked.items(), key=lambda kv: (-kv[1], kv[0]))]

    return rank


# --------------------------------------------------------------------------- metrics


def score(rankings: list[list[str]], questions: list[Question]) -> dict:
    def metrics(pairs) -> dict:
        pairs = list(pairs)
        r1 = r3 = rr = 0.0
        for ranking, q in pairs:
            ranks = [i for i, code in enumerate(ranking, 1) if code in q.accept]
            first = ranks[0] if ranks else None
            r1 += first == 1
            r3 += first is not None and first <= 3
            rr += 1 / first if first else 0.0
        n = max(1, len(pairs))
        return {"n": len(pairs), "recall@1": round(r1 / n, 3), "recall@3": round(r3 / n, 3),
                "mrr": round(rr / n, 3)}

    pairs = list(zip(rankings, questions, strict=True))
    result = {"overall": metrics(pairs)}
    for qtype in sorted({q.type for q in questions}):
        result[qtype] = metrics((r, q) for r, q in pairs if q.type == qtype)
    return result


def run(path: Path) -> tuple[dict, list[Question], dict[str, list[list[str]]]]:
    questions = read_questions(path)
    rankers = {"engine": engine_ranker(), "like": like_ranker(), "bigram": bigram_ranker()}
    rankings = {name: [rank(q.text) for q in questions] for name, rank in rankers.items()}
    return ({name: score(r, questions) for name, r in rankings.items()}, questions, rankings)


def report(results: dict) -> str:
    groups = list(results["engine"])
    lines = [f"{'type':<14}{'n':>5}  " + "  ".join(
        f"{name + ' R@1':>11}{'R@3':>7}{'MRR':>7}" for name in results)]
    for group in groups:
        cells = []
        for name in results:
            m = results[name][group]
            cells.append(f"{m['recall@1']:>11.3f}{m['recall@3']:>7.3f}{m['mrr']:>7.3f}")
        lines.append(f"{group:<14}{results['engine'][group]['n']:>5}  " + "  ".join(cells))
    return "\n".join(lines)


# --------------------------------------------------------------------------- setup


def configure() -> None:
    from bench.__main__ import configure as scratch_database

    scratch_database(env="EVAL_DATABASE_URL", out=OUT, name="guidance")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_setagaya", verbosity=0)
    call_command("load_consultation_setup", verbosity=0)
    call_command("load_guidance", verbosity=0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--no-setup", action="store_true",
                        help="use DATABASE_URL as it is (already loaded)")
    args = parser.parse_args(argv)
    if args.no_setup:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
    else:
        configure()
    results, questions, rankings = run(args.file)
    print(f"guidance evaluation: {len(questions)} questions from {args.file.name}")
    print(report(results))
    if args.misses:
        for q, ranking in zip(questions, rankings["engine"], strict=True):
            if not q.accept & set(ranking[:3]):
                print(f"  miss {q.id} [{q.type}] {q.text} -> {ranking[:3]} "
                      f"(want {'|'.join(sorted(q.accept))})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")


if __name__ == "__main__":
    main()
