"""The database reads behind ``availability``: the resources of a check's pools with their
working hours, and their busy time (bookings, absences, allocations) for a window, in one
round trip where the engine allows it (a prepared statement on PostgreSQL). Query texts
depend only on the shape of a check (kinds and numbers of keys) and are built once per
shape."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from django.db import DEFAULT_DB_ALIAS, connection, connections

from madoguchi.scheduling.models import (
    Absence,
    Allocation,
    Resource,
    WorkingHours,
)

if TYPE_CHECKING:
    from madoguchi.scheduling.availability import Pool


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def _owners(pools: Sequence[Pool]) -> dict[str, list[int]]:
    owners: dict[str, list[int]] = defaultdict(list)
    for pool in pools:
        owners[pool.kind].extend(m.pk for m in pool.members)
    return owners


# The shape of a check's query: (kind, number of owner keys) per kind, with loads or not.
# The text depends on it alone (values are placeholders), so it is built once per shape.
_Shape = tuple[tuple[tuple[str, int], ...], bool]


def _shape(owners: dict[str, list[int]], loads: bool) -> _Shape:
    return tuple((kind, len(keys)) for kind, keys in owners.items()), loads


def _resource_sql(shape: _Shape) -> tuple[str, str]:
    """The condition on resources ``r`` of the shape's owners and the select list of their
    rows with hours and loads (only placeholders and quoted names are put into the text).
    Parameters: the loads' (``_load_params``), then the condition's (``_where_params``)."""
    q = connection.ops.quote_name
    kinds_, loads = shape
    where = " OR ".join(f"(r.kind = %s AND r.owner_id IN ({_in(range(n))}))"
                        for _, n in kinds_)
    load = "0"
    if loads:
        load = (f"(SELECT COUNT(*) FROM {q(Allocation._meta.db_table)} a "  # noqa: S608
                f"WHERE a.resource_id = r.id AND a.active AND a.{q('start')} >= %s "
                f"AND a.{q('start')} < %s)")
    select = f"r.id, r.kind, r.owner_id, h.weekday, h.{q('start')}, h.{q('end')}, {load}"
    hours = f"LEFT JOIN {q(WorkingHours._meta.db_table)} h ON h.resource_id = r.id"
    return where, f"{select} /*extra*/ FROM /*resources*/ r {hours}"


def _where_params(owners: dict[str, list[int]]) -> list:
    return [value for kind, keys in owners.items() for value in (kind, *keys)]


def _load_params(loads_between: tuple[dt.datetime, dt.datetime] | None) -> list:
    if loads_between is None:
        return []
    adapt = connection.ops.adapt_datetimefield_value
    return [adapt(loads_between[0]), adapt(loads_between[1])]


def resource_rows(pools: Sequence[Pool], loads_between: tuple[dt.datetime, dt.datetime] | None):
    """The pools' resources with their working hours (one row per hours row, or one with
    NULL hours) and, with ``loads_between``, their active allocations starting then: one
    query in plain SQL (the hot path of every check and search)."""
    owners = _owners(pools)
    if not owners:
        return []
    where, select = _resource_sql(_shape(owners, loads_between is not None))
    sql = (f"SELECT {select} WHERE {where}"  # noqa: S608
           .replace("/*resources*/", connection.ops.quote_name(Resource._meta.db_table)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_load_params(loads_between), *_where_params(owners)])
        return cursor.fetchall()


@lru_cache(maxsize=256)
def _check_sql(shape: _Shape, vendor: str) -> str:
    """The text of ``resource_and_busy_rows``'s one statement (PostgreSQL) for a shape."""
    q = connection.ops.quote_name
    where, select = _resource_sql(shape)
    busy_sql = _busy_sql_text("(SELECT id FROM pool_resources)")
    resources = (select.replace("/*resources*/", "pool_resources")
                 .replace("/*extra*/", ", NULL::bigint[], NULL::bigint[]"))
    # Only placeholders and quoted names are put into the text. The busy times come as
    # one row per resource with two arrays (starts, ends), not a row per interval.
    return (f"WITH pool_resources AS (SELECT r.id, r.kind, r.owner_id "  # noqa: S608
            f"FROM {q(Resource._meta.db_table)} r WHERE {where}) SELECT {resources} "
            "UNION ALL SELECT b.resource_id, NULL, NULL, NULL, NULL, NULL, NULL, "
            "array_agg(b.s ORDER BY b.s), array_agg(b.e ORDER BY b.s) "
            f"FROM ({busy_sql}) b GROUP BY b.resource_id")


def resource_and_busy_rows(pools: Sequence[Pool],
                            loads_between: tuple[dt.datetime, dt.datetime] | None,
                            lo: dt.datetime, hi: dt.datetime
                            ) -> tuple[list[tuple], dict[int, list[tuple[int, int]]]]:
    """``resource_rows``, and the busy times of those resources over ``[lo, hi)`` by
    resource id (as ``busy_rows``), in one round trip on PostgreSQL (a check's whole read);
    two queries elsewhere."""
    owners = _owners(pools)
    if not owners:
        return [], {}
    if connection.vendor != "postgresql":
        resources = resource_rows(pools, loads_between)
        ids = [row[0] for row in resources]
        return resources, by_resource(busy_rows(ids, lo, hi) if ids else [])
    # PostgreSQL takes aware datetimes as they are (its adapt_datetimefield_value is the
    # identity).
    sql = _check_sql(_shape(owners, loads_between is not None), "postgresql")
    rows = _prepared_rows(sql, [*_where_params(owners), *(loads_between or ()),
                                hi, lo, hi, lo - dt.timedelta(days=1), lo])
    resources = [row[:7] for row in rows if row[1] is not None]
    busy = {row[0]: list(zip(row[7], row[8], strict=True)) for row in rows if row[1] is None}
    return resources, busy


def by_resource(rows) -> dict[int, list[tuple[int, int]]]:
    """``busy_rows``'s (resource id, start, end) rows as intervals by resource id."""
    busy: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for resource_id, start, end in rows:
        busy[resource_id].append((start, end))
    return busy


def _prepared_rows(sql: str, params: list) -> list[tuple]:
    """The rows of ``sql`` on PostgreSQL, run as a statement prepared on the connection
    (parameters bound by the server). Every check of a booking attempt runs the same query,
    and planning it again at each attempt cost the server more than running it. Django binds
    parameters on the client and prepares nothing, so that poolers in transaction mode keep
    working; madoguchi pools in the process (psycopg_pool), whose connections keep their
    prepared statements. Only this cursor prepares (Django's client-side binding cursors
    never do, whatever the threshold), through Django's cursor wrapper (database errors).
    While queries are logged (DEBUG, a test capturing them), Django's own cursor runs it,
    so that the log shows the query with its values."""
    db = connections[DEFAULT_DB_ALIAS]  # one look-up of the thread's connection
    if db.queries_logged:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    import psycopg

    db.ensure_connection()
    conn = db.connection
    threshold = conn.prepare_threshold
    conn.prepare_threshold = 0  # prepared at the first execution, then reused
    try:
        with db.make_cursor(psycopg.Cursor(conn)) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        conn.prepare_threshold = threshold


def as_time(value) -> dt.time:
    return dt.time.fromisoformat(value) if isinstance(value, str) else value


def _busy_sql_text(ids_sql: str) -> str:
    """Absences and active allocations of the resources ``ids_sql`` (a placeholder list,
    or a sub-select) overlapping a window (``_busy_params``): resource id, start, end (on
    PostgreSQL as whole epoch seconds, named s and e)."""
    q = connection.ops.quote_name
    start, end = q("start"), q("end")
    if connection.vendor == "postgresql":
        cols = (f"floor(extract(epoch FROM {start}))::bigint AS s, "
                f"ceil(extract(epoch FROM {end}))::bigint AS e")
    else:
        cols = f"{start}, {end}"
    return (f"SELECT resource_id, {cols} FROM {q(Absence._meta.db_table)} "  # noqa: S608
            f"WHERE resource_id IN {ids_sql} AND {start} < %s AND {end} > %s "
            "UNION ALL "
            f"SELECT resource_id, {cols} FROM {q(Allocation._meta.db_table)} "
            f"WHERE resource_id IN {ids_sql} AND active AND {start} < %s "
            f"AND {start} >= %s AND {end} > %s")


def _busy_params(ids: list, lo: dt.datetime, hi: dt.datetime) -> list:
    adapt = connection.ops.adapt_datetimefield_value
    return [*ids, adapt(hi), adapt(lo), *ids, adapt(hi),
            adapt(lo - dt.timedelta(days=1)), adapt(lo)]


def busy_rows(ids: list[int], lo: dt.datetime, hi: dt.datetime) -> list[tuple[int, int, int]]:
    """Absences and active allocations of ``ids`` overlapping ``[lo, hi)``, in one query,
    as (resource id, start rounded down, end rounded up) in seconds since the epoch.

    This is the hot path of every search: plain SQL (no query built per call) read with a
    plain cursor. PostgreSQL answers the seconds itself (integers are read far faster than
    timestamps); SQLite returns ISO text in UTC, parsed once here.
    An allocation lies within one day (slots never cross midnight), so the index on
    (resource, active, start) can skip past bookings: start >= lo - 1 day."""
    with connection.cursor() as cursor:
        cursor.execute(_busy_sql_text(f"({_in(ids)})"), _busy_params(ids, lo, hi))
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        return rows
    return [(rid, epoch_floor(aware(start)), epoch_ceil(aware(end)))
            for rid, start, end in rows]


def aware(value) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def epoch_floor(moment: dt.datetime) -> int:
    return math.floor(moment.timestamp())


def epoch_ceil(moment: dt.datetime) -> int:
    return math.ceil(moment.timestamp())
