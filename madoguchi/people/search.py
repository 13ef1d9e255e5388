"""The resident search query: name or kana contains the folded query, birth date equals
the one written, visible to the user (own district, or involved through a context).

On PostgreSQL the name test is ``ILIKE '%…%'`` on the folded keys, which the ``pg_trgm``
GIN indexes on ``name_key`` and ``kana_key`` serve (migration 0004). A query of one or two
characters (山田, 林) has no trigram: it also tests ``madoguchi_grams`` (the characters and
character pairs of a key), whose GIN indexes serve it (migration 0004). The matches are read
once, into a materialized CTE; visibility is a UNION over them of one branch per way of
seeing residents (own districts; each involvement rule's ways), each a semi-join ordered
and limited on its own, instead of an OR of subqueries evaluated row by row. SQLite (the
embedded default, small data) keeps the plain form: one query with the ways OR-ed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, Lookup, Q, QuerySet

from madoguchi.accounts.policy import resident_scope_parts
from madoguchi.core.dates import DateInputError, parse_date
from madoguchi.core.text import search_key
from madoguchi.people.models import Resident

ORDER = ("kana_key", "birth_date", "pk")
# What a way of seeing residents (policy.resident_scope_parts) may test: the resident's
# id (``pk__in``, ``Exists``) and district.
CANDIDATE_COLUMNS = ("id", "district_id", "kana_key", "birth_date")
SHORTEST_TRIGRAM = 3  # shorter queries have no trigram to look up


@CharField.register_lookup
class FoldedContains(Lookup):
    """``field ILIKE '%value%'`` on PostgreSQL (served by a trigram index, which the
    ``UPPER(…) LIKE`` of ``icontains`` is not); ``LIKE`` elsewhere (SQLite's LIKE already
    ignores ASCII case)."""

    lookup_name = "folded_contains"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [f"%{connection.ops.prep_for_like_query(value)}%"]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        operator = "ILIKE" if connection.vendor == "postgresql" else "LIKE"
        escape = "" if connection.vendor == "postgresql" else " ESCAPE '\\'"
        return f"{lhs} {operator} {rhs}{escape}", [*lhs_params, *rhs_params]


@CharField.register_lookup
class GramsContain(Lookup):
    """PostgreSQL only: the key's characters and character pairs (``madoguchi_grams``,
    migration 0004, GIN-indexed) include all of the value's: the index condition for
    queries too short for trigrams."""

    lookup_name = "grams_contain"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [grams(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"madoguchi_grams({lhs}) @> {rhs}::text[]", [*lhs_params, *rhs_params]


def grams(key: str) -> list[str]:
    """What ``madoguchi_grams`` holds of ``key`` that a match must hold too: its character
    when it is one, else its character pairs (upper-cased, as the SQL function does)."""
    key = key.upper()
    return [key] if len(key) == 1 else sorted({key[i:i + 2] for i in range(len(key) - 1)})


@dataclass(frozen=True)
class Terms:
    key: str = ""  # the folded name (kanji or kana), "" when none was written
    birth_date: dt.date | None = None

    def __bool__(self) -> bool:
        return bool(self.key or self.birth_date)


def terms(query: str) -> Terms:
    """The words of ``query`` that are dates (和暦 or 西暦) give the birth date; the rest
    is the name."""
    names, birth_date = [], None
    for word in (query or "").split():
        try:
            birth_date = parse_date(word)
        except DateInputError:
            names.append(word)
    return Terms(key=search_key("".join(names)), birth_date=birth_date)


def matching(found: Terms) -> Q:
    condition = Q()
    if found.key:
        condition &= (Q(name_key__folded_contains=found.key)
                      | Q(kana_key__folded_contains=found.key))
        if connection.vendor == "postgresql" and len(found.key) < SHORTEST_TRIGRAM:
            condition &= (Q(name_key__grams_contain=found.key)
                          | Q(kana_key__grams_contain=found.key))
    if found.birth_date:
        condition &= Q(birth_date=found.birth_date)
    return condition


def visible_matches(user, found: Terms, limit: int) -> list[Resident]:
    """Up to ``limit`` visible residents matching ``found``, in kana order, with their
    district: two queries on PostgreSQL (the ids, then the rows), one on SQLite."""
    parts = resident_scope_parts(user)
    if not parts:
        return []
    condition = matching(found)
    related = Resident.objects.select_related("district__region")
    if connection.vendor == "postgresql" and len(parts) > 1:
        ids = _visible_match_ids(parts, condition, limit)
        by_pk = related.in_bulk(ids)
        return [by_pk[pk] for pk in ids]
    scope = Q()
    for part in parts:
        scope |= part
    return list(related.filter(condition, scope).order_by(*ORDER)[:limit])


def _visible_match_ids(parts: list[Q], condition: Q, limit: int) -> list[int]:
    """PostgreSQL: the ids of the first ``limit`` matches in kana order that one of
    ``parts`` makes visible.

    The matches are read once, into a materialized CTE named like the resident table, so
    that the branches (one per part, each ordered and limited) compiled by the ORM read
    the matches instead of the table. Read per branch, the matches of a common family name
    (山田: thousands of rows) were fetched from the table once per way of seeing residents.
    The CTE holds only the columns a part may test (``CANDIDATE_COLUMNS``)."""
    candidates = Resident.objects.filter(condition).order_by().values(*CANDIDATE_COLUMNS)
    branches: list[QuerySet] = [Resident.objects.filter(part).order_by(*ORDER)
                                .values_list(*ORDER)[:limit] for part in parts]
    union = branches[0].union(*branches[1:]).order_by(*ORDER)[:limit]
    candidates_sql, candidates_params = candidates.query.sql_with_params()
    union_sql, union_params = union.query.sql_with_params()
    table = connection.ops.quote_name(Resident._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {table} AS MATERIALIZED ({candidates_sql}) {union_sql}",
                       [*candidates_params, *union_params])
        return [row[-1] for row in cursor.fetchall()]
