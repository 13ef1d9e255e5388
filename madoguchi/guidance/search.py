"""Ranking: BM25F over the word fields plus BM25 over reading bigrams, in Python.

The postings come from the database in one query; every score is computed here, in a fixed
order of terms, and rounded, so SQLite and PostgreSQL give the same ranking. Ties break
on the entry code.

    score(d) = Σ_t  w_q(t) · idf(t) · tf~(t, d) / (k1 + tf~(t, d))          words (BM25F)
             + λ · Σ_g  idf(g) · tf(g, d)·(k1 + 1) / (tf(g, d) + k1·B_r(d))  readings
    tf~(t, d) = Σ_f  weight_f · tf_f(t, d) / (1 - b_f + b_f · len_f(d) / avglen_f)
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from madoguchi.guidance.models import IndexedEntry, Posting
from madoguchi.guidance.text import Analysis

K1 = 1.2
FIELD_WEIGHT = {"q": 3.0, "k": 2.5, "a": 1.0}
FIELD_B = {"q": 0.5, "k": 0.3, "a": 0.75}
READING_WEIGHT = 0.6
READING_B = 0.5
DIGITS = 6


@dataclass
class EntryScore:
    entry_id: int
    kind_id: int
    score: float = 0.0
    matched: dict[str, float] = field(default_factory=dict)  # word term -> contribution
    reading_score: float = 0.0


def _stats() -> dict:
    """Entry count and mean field lengths; the means are divided here, from integer sums,
    so that both databases give the very same floats."""
    sums = IndexedEntry.objects.aggregate(
        n=Count("pk"), q=Sum("len_q"), k=Sum("len_k"), a=Sum("len_a"), r=Sum("len_r"))
    n = sums.pop("n") or 0
    return {"n": n, **{name: (int(total or 0) / n if n else 0.0)
                       for name, total in sums.items()}}


def _idf(n: int, df: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def rank_entries(analysis: Analysis) -> list[EntryScore]:
    """Every indexed entry matching the analysis, best first."""
    words = analysis.words
    grams = Counter(analysis.readings)
    if not words and not grams:
        return []
    stats = _stats()
    n = stats["n"] or 0
    if not n:
        return []
    rows = (Posting.objects
            .filter(term__in=sorted(set(words) | set(grams)))
            .values_list("term", "field", "tf", "doc_id", "doc__section_kind_id",
                         "doc__len_q", "doc__len_k", "doc__len_a", "doc__len_r"))
    word_tf: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    gram_tf: dict[int, dict[str, int]] = defaultdict(dict)
    docs: dict[int, tuple] = {}
    for term, fld, tf, doc_id, kind_id, len_q, len_k, len_a, len_r in rows:
        if fld == "r":
            if term in grams:
                gram_tf[doc_id][term] = tf
        elif term in words:
            word_tf[doc_id][term][fld] = tf
        docs[doc_id] = (kind_id, {"q": len_q, "k": len_k, "a": len_a, "r": len_r})

    word_df = Counter(term for terms in word_tf.values() for term in terms)
    gram_df = Counter(term for terms in gram_tf.values() for term in terms)
    avg = {name: float(stats[name] or 1.0) or 1.0 for name in ("q", "k", "a", "r")}
    gram_norm = 1.0 / math.sqrt(max(1, sum(grams.values())))

    scores: list[EntryScore] = []
    for doc_id in sorted(docs):
        kind_id, lengths = docs[doc_id]
        hit = EntryScore(entry_id=doc_id, kind_id=kind_id)
        for term in sorted(word_tf.get(doc_id, {})):
            per_field = word_tf[doc_id][term]
            pseudo = sum(FIELD_WEIGHT[f] * tf / (1 - FIELD_B[f] + FIELD_B[f] * lengths[f] / avg[f])
                         for f, tf in sorted(per_field.items()))
            part = words[term] * _idf(n, word_df[term]) * pseudo / (K1 + pseudo)
            hit.matched[term] = part
            hit.score += part
        norm = 1 - READING_B + READING_B * lengths["r"] / avg["r"]
        for gram in sorted(gram_tf.get(doc_id, {})):
            tf = gram_tf[doc_id][gram]
            qtf = min(grams[gram], 2)
            hit.reading_score += (qtf * _idf(n, gram_df[gram]) * tf * (K1 + 1)
                                  / (tf + K1 * norm))
        hit.reading_score = READING_WEIGHT * gram_norm * hit.reading_score
        hit.score = round(hit.score + hit.reading_score, DIGITS)
        scores.append(hit)
    scores.sort(key=lambda s: (-s.score, s.entry_id))
    return scores


# ------------------------------------------------------------------- section profiles
# A section kind's own description (name, English name, what it handles) is a small
# document too: it lets a kind with few entries still be found, and it is the ward's data,
# not tuned to any question.

PROFILE_WEIGHT = 1.0
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
            if tf:
                total += (analysis.words[term] * _idf(n, df[term]) * tf * (K1 + 1)
                          / (tf + K1 * (1 - 0.5 + 0.5 * length / avg)))
        if total:
            scores[kind_id] = round(PROFILE_WEIGHT * total, DIGITS)
    return scores
