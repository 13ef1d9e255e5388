"""``python -m bench.procedures measure|load``: a child on the database DATABASE_URL names
(its figures as JSON on the last line); ``… server``: (b) and (c) alone; no argument: the
whole bench."""

from __future__ import annotations

import json
import os
import sys

from bench.procedures import OUT, ROOT, load, measure, rows, run

if __name__ == "__main__" and sys.argv[1:] in (["measure"], ["load"]):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    result = measure() if sys.argv[1] == "measure" else load()
    print(json.dumps(result, ensure_ascii=False))
elif __name__ == "__main__":
    from bench.harness import table, write

    server_only = sys.argv[1:] == ["server"]
    figures = run(server_time=not server_only)
    path = write("procedures-server" if server_only else "procedures", figures, out_dir=OUT)
    print(table(rows(figures)))
    print(f"written to {path.relative_to(ROOT)}")
