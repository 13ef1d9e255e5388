"""Staff pages at the ward's size (issue 22), written to var/bench/scale.json.

`python -m bench scale` (part of `make bench`):

1. A PostgreSQL database: BENCH_DATABASE_URL when set (it is emptied and filled), else a
   scratch database ``bench_scale`` created on the server of BENCH_PG_URL and dropped
   afterwards. Migrated and loaded like `make run` (organisation, procedures, demo
   accounts, residents and applications).
2. Every staff page of the issue's table and the other staff lists, timed in this process
   through Django's test client as the demo accounts: one warm-up, then ``REPEAT``
   requests; median, p95 and the queries of each request (min and max over the runs, which
   must not grow with the rows).
3. The generator (``fill``): ``INSERT … SELECT generate_series`` up to SIZES (200,000
   residents with Japanese names in 28 districts, 1,000,000 consultations over five years
   in the 28 centres, 100,000 applications across the published procedures with their
   receipt events and due dates from the open-day calendar, 1,000,000 audit entries),
   then ANALYZE; how long each step took.
4. The same pages again at that size.

The goal (issue 22): every staff page p95 ≤ 300 ms, the resident search ≤ 100 ms, the
queries of a page the same on the demo data and at size.

The package: ``run`` (the database set-up, ``run_on`` and ``main``), ``generate``
(the generator, ``fill``, and ``insert_select``, also used by the collaboration bench)
and ``staff_pages`` (the pages, their timing and the table); ``__main__`` for
``python -m bench.scale``.
"""

from __future__ import annotations

from bench.scale.generate import SIZES, counts, fill, insert_select, sql_array
from bench.scale.run import main, run_on
from bench.scale.staff_pages import GOAL_MS, REPEAT, SEARCH_GOAL_MS, Page, pages, rows

__all__ = ["GOAL_MS", "REPEAT", "SEARCH_GOAL_MS", "SIZES", "Page", "counts", "fill",
           "insert_select", "main", "pages", "rows", "run_on", "sql_array"]
