"""SQLite and PostgreSQL give the same ranking: the same seed data is loaded into a scratch
database of each kind and `manage.py guide --batch` answers every labelled question (and
some odd ones) identically, scores included.

Runs in child processes (each with its own DATABASE_URL). PostgreSQL: the server of
DATABASE_URL when that is PostgreSQL, else GUIDANCE_PG_URL, else
postgres://postgres@127.0.0.1:5432/postgres; the test skips, saying so, when no server
answers, unless REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.scheduling import _admin, scratch_postgres

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "madoguchi" / "guidance" / "data" / "eval" / "questions.tsv"
ODD = ["", "😀", "あ" * 1200, "<script>alert(1)</script>", "ｺｸﾎ", "I am moving",
       "ひっこし", "SELECT 1; --"]


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url
    return os.environ.get("GUIDANCE_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _manage(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _answers(url: str, questions: Path) -> list[str]:
    for command in (["migrate", "-v0"], ["load_setagaya", "-v0"],
                    ["load_consultation_setup", "-v0"], ["load_guidance", "-v0"]):
        _manage(url, *command)
    return _manage(url, "guide", "--batch", str(questions), "--json",
                   "--district", "setagaya/ikejiri").splitlines()


def test_same_ranking_on_sqlite_and_postgresql(tmp_path):
    psycopg = pytest.importorskip("psycopg")
    server = _server_url()
    scratch = f"madoguchi_guidance_parity_{os.getpid()}"
    try:  # the URL's database, or the server's maintenance database "postgres"
        _admin(server).close()
    except psycopg.OperationalError as error:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"no PostgreSQL server answers at {urlsplit(server).netloc}: {error}")
    lines = [row.split("\t")[2] for row in QUESTIONS.read_text(encoding="utf-8").splitlines()[1:]
             if row.count("\t") >= 3]
    questions = tmp_path / "questions.txt"
    questions.write_text("\n".join(lines + ODD) + "\n", encoding="utf-8")
    with scratch_postgres(server, scratch) as url:
        on_postgres = _answers(url, questions)
    on_sqlite = _answers(f"sqlite:///{tmp_path / 'parity.sqlite3'}", questions)
    assert len(on_sqlite) == len(lines) + len(ODD)
    assert sum('"sections":[{' in line for line in on_sqlite) > 0.9 * len(lines)
    for sqlite_line, postgres_line in zip(on_sqlite, on_postgres, strict=True):
        assert sqlite_line == postgres_line
