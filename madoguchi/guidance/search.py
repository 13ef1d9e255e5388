"""Ranking: BM25F over the word fields plus BM25 over reading bigrams, summed in SQL.

The index stores each (term, entry) impact as an integer (see ``index``); the query
weights are integers too (× 1000):

    word weight = 1000 · w_q(t) · idf(t)      (w_q: 1 for whole nouns, less for parts,
                                                predicates and sounds; see ``text``)
    gram weight = 1000 · λ · min(qtf, 2) · idf(g) / √(number of query bigrams)
    score(d)    = Σ_t impact(t, d) · weight(t) / 10⁶

so the database adds integers only, and SQLite and PostgreSQL return the very same scores
and order (ties break on the entry id). Document frequencies come from the postings at
query time; ``idf = ln(1 + (N − df + 0.5) / (df + 0.5))``.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count

from madoguchi.guidance.index import DRAFT_MARK, GRAM_MARK, K1, SCALE, TERM_MAX
from madoguchi.guidance.models import IndexedEntry, Posting
from madoguchi.guidance.text import Analysis

READING_WEIGHT = 0.6
GRAM_BUDGET = 2.0  # postings of reading bigrams per query, as a multiple of the entries
GRAM_MAX_SHARE = 0.15  # a bigram in more than this share of the entries says little
MAX_TERMS = 160  # the most telling terms of a very long question
CANDIDATES = 300  # entries ranked in SQL and handed to the section ranking
DIGITS = 6


@dataclass
class EntryScore:
    entry_id: int
    kind_id: int
    score: float = 0.0
    published: bool = True
    matched: dict[str, float] = field(default_factory=dict)  # word term -> contribution


def _idf(n: int, df: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def query_weights(analysis: Analysis, *, published: int | None = None) -> dict[str, int]:
    """Index term → integer weight for the query (terms absent from the index dropped);
    ``published`` is the number of published entries when the caller knows it."""
    wanted: dict[str, float] = {term[:TERM_MAX]: weight for term, weight in analysis.words.items()}
    grams = Counter(analysis.readings)
    gram_norm = 1.0 / math.sqrt(max(1, sum(grams.values())))
    for gram, qtf in grams.items():
        wanted[GRAM_MARK + gram] = READING_WEIGHT * gram_norm * min(qtf, 2)
    if not wanted:
        return {}
    n = published if published is not None else \
        IndexedEntry.objects.filter(published=True).count()
    if not n:
        return {}
    df: dict[str, int] = {}
    terms = sorted(wanted)
    for start in range(0, len(terms), 500):
        chunk = terms[start:start + 500]
        df.update(Posting.objects.filter(term__in=chunk).values("term")
                  .annotate(df=Count("*")).values_list("term", "df"))
    kept = [term for term in terms if df.get(term) and not term.startswith(GRAM_MARK)]
    # Reading bigrams are the fuzzy fallback: the most selective ones, within a budget of
    # postings proportional to the index, so a long question stays fast at any size.
    budget = GRAM_BUDGET * n
    for term in sorted((t for t in terms if t.startswith(GRAM_MARK) and df.get(t)),
                       key=lambda t: (df[t], t)):
        if df[term] > GRAM_MAX_SHARE * n or df[term] > budget:
            break
        budget -= df[term]
        kept.append(term)
    weights = {term: max(1, round(SCALE * wanted[term] * _idf(n, df[term]))) for term in kept}
    if len(weights) > MAX_TERMS:
        kept = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:MAX_TERMS]
        weights = dict(kept)
    return weights


def rank_entries(weights: dict[str, int], *, limit: int = CANDIDATES,
                 include_unpublished: bool = False) -> list[EntryScore]:
    """The best-matching indexed entries for ``query_weights``, best first (at most
    ``limit``); unpublished entries too when asked (staff), weighted as published ones."""
    if not weights:
        return []
    pairs = sorted(weights.items())
    if include_unpublished:
        pairs += [((DRAFT_MARK + term)[:TERM_MAX], weight) for term, weight in pairs]
    posting = connection.ops.quote_name(Posting._meta.db_table)
    indexed = connection.ops.quote_name(IndexedEntry._meta.db_table)
    values = ", ".join("(%s, CAST(%s AS BIGINT))" for _ in pairs)
    # Only placeholders and quoted table names are formatted into the statement. The
    # query's terms join the postings as a small table; the database sums integers.
    sql = (f"WITH q(term, weight) AS (VALUES {values}) "  # noqa: S608
           f"SELECT s.doc_id, d.section_kind_id, d.published, s.score FROM ("
           f"SELECT p.doc_id AS doc_id, SUM(p.impact * q.weight) AS score"
           f" FROM q JOIN {posting} p ON p.term = q.term GROUP BY p.doc_id"
           f" ORDER BY score DESC, p.doc_id LIMIT %s) s"
           f" JOIN {indexed} d ON d.entry_id = s.doc_id ORDER BY s.score DESC, s.doc_id")
    params: list = [value for pair in pairs for value in pair]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        rows = cursor.fetchall()
    divisor = SCALE * SCALE
    return [EntryScore(entry_id=doc_id, kind_id=kind_id, published=bool(published),
                       score=round(int(score) / divisor, DIGITS))
            for doc_id, kind_id, published, score in rows]


def explain(hits: list[EntryScore], weights: dict[str, int]) -> None:
    """Fill ``matched`` (word term → contribution) of ``hits`` (a few entries)."""
    if not hits:
        return
    weights = {term: weight for term, weight in weights.items()
               if not term.startswith(GRAM_MARK)}
    if not weights:
        return
    by_id = {hit.entry_id: hit for hit in hits}
    rows = Posting.objects.filter(doc_id__in=list(by_id), term__in=sorted(weights)) \
        .values_list("doc_id", "term", "impact")
    for doc_id, term, impact in rows:
        by_id[doc_id].matched[term] = impact * weights[term] / (SCALE * SCALE)


# ------------------------------------------------------------------- section profiles
# A section kind's own description (name, English name, what it handles) is a small
# document too: it lets a kind with few entries still be found, and it is the ward's data,
# not tuned to any question.

PROFILE_WEIGHT = 0.7
_profiles: dict[tuple, list[tuple[int, Counter, Counter]]] = {}


def kind_profiles(kinds, matcher) -> list[tuple[int, Counter, Counter]]:
    from madoguchi.guidance.text import analyse

    key = (tuple((k.pk, k.name, k.name_en, k.handles) for k in kinds), id(matcher))
    if key not in _profiles:
        if len(_profiles) > 8:
            _profiles.clear()
        rows = []
        for kind in kinds:
            analysis = analyse(f"{kind.name}\n{kind.handles}\n{kind.name_en}", synonyms=matcher)
            rows.append((kind.pk, Counter(analysis.occurrences), Counter(analysis.readings)))
        _profiles[key] = rows
    return _profiles[key]


def profile_scores(analysis: Analysis, profiles) -> dict[int, float]:
    """BM25 of the query words against each kind's description (readings ignored)."""
    n = len(profiles)
    if not n or not analysis.words:
        return {}
    avg = sum(sum(terms.values()) for _k, terms, _g in profiles) / n or 1.0
    df = Counter(t for _k, terms, _g in profiles for t in terms if t in analysis.words)
    scores: dict[int, float] = {}
    for kind_id, terms, _grams in profiles:
        length = sum(terms.values())
        total = 0.0
        for term in sorted(analysis.words):
            tf = terms.get(term, 0)
            if tf:  # the same saturation as an entry's words (see index.impacts)
                t = tf / (1 - 0.5 + 0.5 * length / avg)
                total += analysis.words[term] * _idf(n, df[term]) * t / (K1 + t)
        if total:
            scores[kind_id] = round(PROFILE_WEIGHT * total, DIGITS)
    return scores
