"""The search index in the database: what an entry contributes, and keeping it current.

Each entry has one ``IndexedEntry`` (its section kind, published or not, field lengths)
and one ``Posting`` per term (an unpublished entry's terms carry ``DRAFT_MARK``) with a
quantised *impact*: the term-frequency part of BM25F over the fields question (``q``:
Japanese and English), keywords (``k``) and answers (``a``); reading bigrams of the
question and keywords (terms starting with ``GRAM_MARK``) get the BM25 term-frequency part
over their own length. Impacts use the mean lengths of the last full rebuild
(``IndexStats``), so re-indexing one entry leaves the others untouched.

    word impact = 1000 · t / (k1 + t),   t = Σ_f w_f · tf_f / (1 − b_f + b_f · len_f / avg_f)
    gram impact = 1000 · tf · (k1 + 1) / (tf + k1 · (1 − b_r + b_r · len_r / avg_r))

Only the services (and the loader) call the writers here, inside their transaction.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from django.db import connection
from django.db.models import Count, Max

from madoguchi.guidance.models import (
    Entry,
    EntryStatus,
    IndexedEntry,
    IndexStats,
    Posting,
    Synonym,
)
from madoguchi.guidance.text import Analysis, SynonymMatcher, analyse

TERM_MAX = 64
GRAM_MARK = "#"
DRAFT_MARK = "!"  # terms of unpublished entries: found by staff only
K1 = 1.2
FIELD_WEIGHT = {"q": 3.0, "k": 2.5, "a": 1.0}
FIELD_B = {"q": 0.5, "k": 0.3, "a": 0.75}
READING_B = 0.5
SCALE = 1000


def synonym_matcher() -> SynonymMatcher:
    """The ward's synonyms as a matcher, rebuilt only when the table changed."""
    state = Synonym.objects.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    return _matcher_for(state["n"], state["last"], state["top"])


def search_state() -> tuple[SynonymMatcher, int]:
    """The synonym matcher and the number of published entries, in one round trip (a
    search needs both; on a busy database server every round trip counts)."""
    indexed = connection.ops.quote_name(IndexedEntry._meta.db_table)
    synonym = connection.ops.quote_name(Synonym._meta.db_table)
    # Only quoted table names are formatted into the statement.
    sql = (f"SELECT (SELECT COUNT(*) FROM {indexed} WHERE published = %s),"  # noqa: S608
           f" (SELECT COUNT(*) FROM {synonym}), (SELECT MAX(updated_at) FROM {synonym}),"
           f" (SELECT MAX(id) FROM {synonym})")
    with connection.cursor() as cursor:
        cursor.execute(sql, [True])
        published, count, last, top = cursor.fetchone()
    return _matcher_for(count, last, top), published


@lru_cache(maxsize=4)
def _matcher_for(count, last, top) -> SynonymMatcher:
    groups = list(Synonym.objects.values_list("canonical", "variants"))
    return SynonymMatcher.build((canonical, variants or []) for canonical, variants in groups)


@lru_cache(maxsize=2048)
def _analysed(text: str, matcher: SynonymMatcher) -> Analysis:
    """Analyses of entry texts, shared while the same matcher is in use (answers and
    keyword lists repeat across entries, and a rebuild analyses every entry)."""
    return analyse(text, synonyms=matcher)


def entry_fields(entry: Entry, matcher: SynonymMatcher) -> dict[str, Counter]:
    """Term frequencies per field for one entry (``r``: reading bigrams)."""
    question = _analysed(f"{entry.question}\n{entry.question_en}", matcher)
    keywords = _analysed("\n".join(str(k) for k in entry.keywords or []), matcher)
    answer = _analysed("\n".join([entry.answer, entry.easy_answer, entry.answer_en]), matcher)
    return {
        "q": Counter(question.occurrences),
        "k": Counter(keywords.occurrences),
        "a": Counter(answer.occurrences),
        "r": Counter(question.readings + keywords.readings),
    }


def _lengths(fields: dict[str, Counter]) -> dict[str, int]:
    return {name: sum(counts.values()) for name, counts in fields.items()}


def impacts(fields: dict[str, Counter], stats: IndexStats) -> dict[str, int]:
    """Term → impact for one entry (see the module docstring)."""
    lengths = _lengths(fields)
    avg = {"q": stats.avg_q, "k": stats.avg_k, "a": stats.avg_a, "r": stats.avg_r}
    pseudo: dict[str, float] = {}
    for name in ("q", "k", "a"):
        norm = 1 - FIELD_B[name] + FIELD_B[name] * lengths[name] / (avg[name] or 1.0)
        for term, tf in sorted(fields[name].items()):
            pseudo[term] = pseudo.get(term, 0.0) + FIELD_WEIGHT[name] * tf / norm
    result = {term[:TERM_MAX]: max(1, round(SCALE * t / (K1 + t)))
              for term, t in pseudo.items()}
    norm = 1 - READING_B + READING_B * lengths["r"] / (avg["r"] or 1.0)
    for gram, tf in sorted(fields["r"].items()):
        result[GRAM_MARK + gram] = max(1, round(SCALE * tf * (K1 + 1) / (tf + K1 * norm)))
    return result


def _stats_from(lengths: list[dict[str, int]]) -> IndexStats:
    n = len(lengths)
    stats = IndexStats.objects.first() or IndexStats()
    stats.docs = n
    for name in ("q", "k", "a", "r"):
        setattr(stats, f"avg_{name}", (sum(row[name] for row in lengths) / n) if n else 1.0)
    stats.save()
    return stats


def _rows(entry: Entry, fields: dict[str, Counter], stats: IndexStats
          ) -> tuple[IndexedEntry, list[Posting]]:
    published = entry.status == EntryStatus.PUBLISHED
    mark = "" if published else DRAFT_MARK
    doc = IndexedEntry(entry=entry, section_kind_id=entry.section_kind_id, published=published,
                       **{f"len_{name}": n for name, n in _lengths(fields).items()})
    postings = [Posting(doc=doc, term=(mark + term)[:TERM_MAX], impact=impact)
                for term, impact in sorted(impacts(fields, stats).items())]
    return doc, postings


def index_entry(entry: Entry, matcher: SynonymMatcher | None = None) -> None:
    """(Re)index one entry (published under its terms, others under marked terms)."""
    IndexedEntry.objects.filter(entry=entry).delete()
    fields = entry_fields(entry, matcher or synonym_matcher())
    stats = IndexStats.objects.first()
    if stats is None:  # the first entry ever: its own lengths are the means
        stats = _stats_from([_lengths(fields)])
    doc, postings = _rows(entry, fields, stats)
    doc.save()
    Posting.objects.bulk_create(postings, batch_size=2000)


def index_all() -> int:
    """Rebuild the whole index (after loading or a synonym change); returns the number of
    published entries indexed. Mean lengths come from the published entries."""
    matcher = synonym_matcher()
    Posting.objects.all().delete()
    IndexedEntry.objects.all().delete()
    entries = list(Entry.objects.order_by("pk"))
    fields = [entry_fields(entry, matcher) for entry in entries]
    stats = _stats_from([_lengths(f) for entry, f in zip(entries, fields, strict=True)
                         if entry.status == EntryStatus.PUBLISHED])
    docs: list[IndexedEntry] = []
    postings: list[Posting] = []
    for entry, entry_terms in zip(entries, fields, strict=True):
        doc, rows = _rows(entry, entry_terms, stats)
        docs.append(doc)
        postings += rows
    IndexedEntry.objects.bulk_create(docs, batch_size=1000)
    Posting.objects.bulk_create(postings, batch_size=5000)
    refresh_statistics()
    return sum(doc.published for doc in docs)


def _index_tables() -> list[str]:
    return [connection.ops.quote_name(model._meta.db_table) for model in (Posting, IndexedEntry)]


def refresh_statistics() -> None:
    """Let the database planner know the rebuilt tables (ANALYZE): without it PostgreSQL
    may scan every posting instead of using the term index."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(_index_tables())}")
        elif connection.vendor == "sqlite":
            for table in _index_tables():
                cursor.execute(f"ANALYZE {table}")


def vacuum() -> None:
    """After a rebuild outside a transaction (``load_guidance``): on PostgreSQL, VACUUM
    ANALYZE so that searches read the term index alone (autovacuum would, later)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for table in _index_tables():
            cursor.execute(f"VACUUM ANALYZE {table}")
