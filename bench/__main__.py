"""`python -m bench`: foundation figures on a fresh benchmark database.

Uses var/bench/bench.sqlite3 (rebuilt each run) unless BENCH_DATABASE_URL names another
database (e.g. PostgreSQL). Writes var/bench/foundation.json and prints a table; then the
scheduling figures (var/bench/consultations.json) and the video-room figures
(var/bench/meetings.json, on their own scratch database and servers) and the guidance
figures (var/bench/guidance.json, scratch SQLite and PostgreSQL databases) and the online
application figures (var/bench/procedures.json, scratch SQLite and PostgreSQL databases and
a uvicorn server).
`python -m bench meetings` runs the video-room figures alone (`meetings relay`:
without the Chromium pages); `python -m bench.procedures server` the online
application server figures alone (offered load and per-process throughput);
`python -m bench participation` the events' figures (var/bench/participation.json);
`python -m bench disaster` the open-shelters page and feed (var/bench/disaster.json);
`python -m bench news` the LINE outbox (key ``outbox`` of var/bench/information.json);
`python -m bench identity` the demo login → online application figure alone
(var/bench/identity.json); `python -m bench counter` the walk-in queue's figures
(var/bench/counter.json: waiting-time estimate, concurrent ticket issues, call display);
`python -m bench signage` the signage figures (the ``signage`` keys of
var/bench/information.json: emergency override, publish and withdraw, 24 h offline).
The full run ends with those figures and the staff pages at the
ward's size (var/bench/scale.json, a scratch PostgreSQL database filled to 200,000
residents and 1,000,000 consultations; `python -m bench scale` alone), then the ward
dashboard over 1,000,000 statistics events and the assessment PDF
(var/bench/collaboration.json; `python -m bench collaboration` alone).
`python -m bench community` the community figures (lottery, room availability
page, first-come race; var/bench/community.json). `python -m bench identity` the demo
login → online application figure alone (var/bench/identity.json). The full run ends
with that figure and the staff pages at the ward's size (var/bench/scale.json, a scratch
PostgreSQL database filled to 200,000 residents and 1,000,000 consultations; `python -m
bench scale` alone).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench"


def configure(*, env: str = "BENCH_DATABASE_URL", out: Path = OUT, name: str = "bench") -> str:
    """Point Django at the database ``env`` names, else at a fresh ``out/<name>.sqlite3``."""
    out.mkdir(parents=True, exist_ok=True)
    url = os.environ.get(env)
    if not url:
        db = out / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return url


def meetings_only(*, browser: bool = True) -> None:
    """`python -m bench meetings`: the video-room figures alone (`meetings relay`:
    without the two Chromium pages)."""
    from bench import meetings
    from bench.harness import table, write

    OUT.mkdir(parents=True, exist_ok=True)
    figures = meetings.run(browser=browser)
    path = write("meetings", figures, out_dir=OUT)
    print("video room benchmark (uvicorn on a scratch SQLite database; in-memory channel layer)")
    print(table(meetings.rows(figures)))
    print(f"written to {path.relative_to(ROOT)}")


def scheduling_only() -> None:
    """`python -m bench scheduling`: slot search and booking under contention."""
    url = configure(name="scheduling")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if "postgres" in url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("load_setagaya", verbosity=0)
    scheduling_figures()


def scheduling_figures() -> None:
    """Run the scheduling bench on the configured database; write and print its figures."""
    from bench import scheduling
    from bench.harness import table, write

    figures = scheduling.run()
    path = write("consultations", figures, out_dir=OUT)
    print("scheduling benchmark (slot search on "
          f"{figures['slot_search'].get('database', 'the bench database')}; "
          "booking under contention on PostgreSQL)")
    print(table(scheduling.rows(figures)))
    print(f"written to {path.relative_to(ROOT)}")


def identity_only() -> None:
    """`python -m bench identity`: the demo login → online application figure."""
    from bench import identity
    from bench.harness import table, write

    figures = identity.run()
    path = write("identity", figures, out_dir=OUT)
    print("identity benchmark (Chromium: the login button at the demo identity provider to the "
          "receipt of 要介護認定; uvicorn on a scratch SQLite database)")
    print(table(identity.rows(figures)))
    print(f"written to {path.relative_to(ROOT)}")


def main() -> None:
    if sys.argv[1:] in (["meetings"], ["meetings", "relay"]):
        meetings_only(browser=sys.argv[2:] != ["relay"])
        return
    if sys.argv[1:] == ["scheduling"]:
        scheduling_only()
        return
    if sys.argv[1:] == ["identity"]:
        identity_only()
        return
    if sys.argv[1:] == ["collaboration"]:
        from bench import collaboration

        collaboration.main()
        return
    if sys.argv[1:] == ["participation"]:
        from bench import participation

        participation.main()
        return
    if sys.argv[1:] == ["counter"]:
        from bench import counter

        counter.main()
        return
    if sys.argv[1:] == ["signage"]:
        from bench import signage

        signage.main()
        return
    if sys.argv[1:] == ["disaster"]:
        from bench import disaster

        disaster.main(configure=configure, out=OUT, root=ROOT)
        return
    if sys.argv[1:] == ["news"]:
        from bench import news

        news.main(configure=configure, out=OUT, root=ROOT)
        return
    if sys.argv[1:] == ["scale"]:
        from bench import scale

        scale.main()
        return
    if sys.argv[1:] == ["community"]:
        from bench import community

        community.main()
        return
    url = configure()
    from django.core.management import call_command

    from bench import foundation
    from bench.harness import table, write

    call_command("migrate", verbosity=0)
    if "postgres" in url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("load_setagaya", verbosity=0)
    figures = foundation.run()
    path = write("foundation", figures, out_dir=OUT)
    rows = [("figure", "median ms", "p95 ms")]
    for name, result in figures["timings"].items():
        rows.append((name, f"{result['median_ms']:.2f}", f"{result['p95_ms']:.2f}"))
    print(f"foundation benchmark on {figures['database']} "
          f"({figures['residents']:,} residents)")
    print(table(rows))
    print(f"written to {path.relative_to(ROOT)}")

    print()
    scheduling_figures()

    from bench import meetings

    figures = meetings.run()
    path = write("meetings", figures, out_dir=OUT)
    print("\nvideo room benchmark (uvicorn on a scratch SQLite database; "
          "in-memory channel layer)")
    print(table(meetings.rows(figures)))
    print(f"written to {path.relative_to(ROOT)}")

    from bench import guidance

    figures = guidance.run()
    path = write("guidance", figures, out_dir=OUT)
    print("\nguidance benchmark (guide() over the labelled questions; seed knowledge base and "
          "5,000 entries; scratch SQLite file and PostgreSQL database)")
    print(table(guidance.rows(figures)))
    print(f"written to {path.relative_to(ROOT)}")

    from bench import procedures

    figures = procedures.run()
    path = write("procedures", figures, out_dir=OUT)
    print("\nonline application benchmark (a 40-field form with two attachments: server time "
          "on scratch SQLite and PostgreSQL databases; 32 clients against uvicorn on "
          "PostgreSQL)")
    print(table(procedures.rows(figures)))
    print(f"written to {path.relative_to(ROOT)}")

    from bench import participation

    print()
    participation.main()

    print()
    identity_only()

    print()
    from bench import counter

    counter.main()

    print()
    from bench import signage

    signage.main()

    # Benches that point Django at a database of their own run in child processes: the
    # staff pages at the ward's size, the ward dashboard over 1,000,000 statistics events
    # (issue 14), the community rooms' lottery and availability (issue 16), the open
    # shelters page (issue 19).
    import subprocess

    for name in ("scale", "collaboration", "community", "disaster", "news"):
        print()
        sys.stdout.flush()
        subprocess.run([sys.executable, "-m", "bench", name], cwd=ROOT,  # noqa: S603
                       check=True)

if __name__ == "__main__":
    main()
