"""The search index in the database: what an entry contributes, and keeping it current.

Each published entry has one ``IndexedEntry`` (its section kind and field lengths) and
its ``Posting`` rows (term, field, frequency). Fields: ``q`` the question (Japanese and
English), ``k`` the keywords, ``a`` the answers, ``r`` reading bigrams of the question
and keywords. Only the services call the writers here, inside their transaction.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from django.db.models import Count, Max

from madoguchi.guidance.models import Entry, EntryStatus, IndexedEntry, Posting, Synonym
from madoguchi.guidance.text import SynonymMatcher, analyse

TERM_MAX = 64


def synonym_matcher() -> SynonymMatcher:
    """The ward's synonyms as a matcher, rebuilt only when the table changed."""
    state = Synonym.objects.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    return _matcher_for(state["n"], state["last"], state["top"])


@lru_cache(maxsize=4)
def _matcher_for(count, last, top) -> SynonymMatcher:
    groups = list(Synonym.objects.values_list("canonical", "variants"))
    return SynonymMatcher.build((canonical, variants or []) for canonical, variants in groups)


def entry_terms(entry: Entry, matcher: SynonymMatcher) -> dict[str, Counter]:
    """Term frequencies per field for one entry."""
    question = analyse(f"{entry.question}\n{entry.question_en}", synonyms=matcher)
    keywords = analyse("\n".join(str(k) for k in entry.keywords or []), synonyms=matcher)
    answer = analyse("\n".join([entry.answer, entry.easy_answer, entry.answer_en]),
                     synonyms=matcher)
    return {
        "q": Counter(question.occurrences),
        "k": Counter(keywords.occurrences),
        "a": Counter(answer.occurrences),
        "r": Counter(question.readings + keywords.readings),
    }


def _rows(entry: Entry, matcher: SynonymMatcher) -> tuple[IndexedEntry, list[Posting]]:
    fields = entry_terms(entry, matcher)
    doc = IndexedEntry(entry=entry, section_kind_id=entry.section_kind_id,
                       **{f"len_{name}": sum(counts.values()) for name, counts in fields.items()})
    postings = []
    for name, counts in fields.items():
        merged: Counter = Counter()
        for term, tf in counts.items():
            merged[term[:TERM_MAX]] += tf
        postings += [Posting(doc=doc, field=name, term=term, tf=min(tf, 32767))
                     for term, tf in sorted(merged.items())]
    return doc, postings


def index_entry(entry: Entry, matcher: SynonymMatcher | None = None) -> None:
    """(Re)index one entry: published entries are indexed, all others removed."""
    IndexedEntry.objects.filter(entry=entry).delete()
    if entry.status != EntryStatus.PUBLISHED:
        return
    doc, postings = _rows(entry, matcher or synonym_matcher())
    doc.save()
    Posting.objects.bulk_create(postings, batch_size=2000)


def index_all(entries=None) -> int:
    """Rebuild the whole index (after loading or a synonym change); returns entries indexed."""
    matcher = synonym_matcher()
    Posting.objects.all().delete()
    IndexedEntry.objects.all().delete()
    queryset = entries if entries is not None else Entry.objects.all()
    docs: list[IndexedEntry] = []
    postings: list[Posting] = []
    for entry in queryset.filter(status=EntryStatus.PUBLISHED).order_by("pk").iterator():
        doc, rows = _rows(entry, matcher)
        docs.append(doc)
        postings += rows
    IndexedEntry.objects.bulk_create(docs, batch_size=1000)
    Posting.objects.bulk_create(postings, batch_size=2000)
    return len(docs)
