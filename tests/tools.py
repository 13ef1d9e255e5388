"""The one way a test needs an outside program (Chromium, clamd, coturn, zbarimg, …).

``needs("zbarimg")`` returns the program's path. When it is not installed the test skips
with one line naming the Debian package; with ``REQUIRE_TOOLS=1`` (CI; ``REQUIRE_BROWSER=1``
is the older name of the same switch) it fails instead, so a run that needed a program
cannot pass without it. Use it as a function (in a test or a fixture) or as a marker::

    path = needs("clamd")

    @pytest.mark.needs("pdftoppm", "zbarimg")
    def test_the_printed_qr_codes_scan(...): ...

Every program is listed, with its package, in ``.ci/packages.txt`` (what CI installs and
the README's ``apt-get install`` line names); asking for one not listed there is a mistake
in the test. tests/test_tools.py finds outside programs run any other way.

Programs are looked up on ``PATH`` and then in /usr/sbin and /sbin (where Debian puts
clamd) and /usr/lib/postgresql/*/bin (initdb, pg_ctl); ``TOOLS_PATH`` replaces that search
path, to try the suite as on a machine without some of them (``TOOLS_PATH=/nonexistent make test``).
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

PACKAGES_FILE = Path(__file__).resolve().parents[1] / ".ci" / "packages.txt"
# Debian puts clamd in /usr/sbin, and PostgreSQL's initdb and pg_ctl in a versioned
# directory off PATH (the newest first).
SYSTEM_DIRS = ("/usr/sbin", "/sbin",
               *sorted(map(str, Path("/usr/lib/postgresql").glob("*/bin")), reverse=True))

# The skip (or failure) message, and how the end-of-run summary finds it again.
MISSING = "needs {programs}, not installed (apt-get install {packages})"
MISSING_RE = re.compile(r"needs ([\w., -]+?), not installed \(apt-get install ")


@cache
def packages() -> dict[str, str]:
    """program -> Debian package, from .ci/packages.txt."""
    found: dict[str, str] = {}
    for line in PACKAGES_FILE.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            package, *programs = words
            found.update(dict.fromkeys(programs, package))
    return found


def required() -> bool:
    """REQUIRE_TOOLS=1 (or its older name REQUIRE_BROWSER=1): nothing may skip for want of
    a program, service or package."""
    return "1" in (os.environ.get("REQUIRE_TOOLS"), os.environ.get("REQUIRE_BROWSER"))


def unavailable(reason: str):
    """Skip the test for ``reason`` (something it needs is not here), or fail under
    REQUIRE_TOOLS=1. For programs use ``needs``; this is for services and packages."""
    if required():
        pytest.fail(f"{reason} (REQUIRE_TOOLS=1: no test may skip for it)", pytrace=False)
    pytest.skip(reason)


def search_path() -> str:
    configured = os.environ.get("TOOLS_PATH")
    if configured is not None:
        return configured
    return os.pathsep.join([os.environ.get("PATH", ""), *SYSTEM_DIRS])


def find(program: str) -> str | None:
    """The path of ``program`` on the search path, or None."""
    return shutil.which(program, path=search_path())


def needs(*programs: str) -> str:
    """The path of the first of ``programs`` (all must be installed); skips the test, or
    fails under REQUIRE_TOOLS=1, naming the missing ones and their packages."""
    assert programs, "needs() takes at least one program"
    unknown = [p for p in programs if p not in packages()]
    assert not unknown, f"add {unknown} with their Debian package to {PACKAGES_FILE.name}"
    paths = {program: find(program) for program in programs}
    missing = [program for program, path in paths.items() if path is None]
    if missing:
        unavailable(MISSING.format(
            programs=", ".join(missing),
            packages=" ".join(dict.fromkeys(packages()[p] for p in missing))))
    return paths[programs[0]]


def missing_counts(reports) -> Counter:
    """program -> how many of ``reports`` (skipped or failed test reports) were for want of
    it."""
    counts: Counter = Counter()
    for report in reports:
        match = MISSING_RE.search(str(report.longrepr))
        if match:
            counts.update(name.strip() for name in match.group(1).split(","))
    return counts


def summary(skipped, failed) -> str:
    """The end-of-run line: which programs were missing and how many tests each held back."""
    counts = missing_counts(skipped) + missing_counts(failed)
    if not counts:
        return "outside programs: none missing"
    listed = ", ".join(f"{program} {count}" for program, count in sorted(counts.items()))
    verb = "failed" if required() else "skipped"
    install = " ".join(dict.fromkeys(packages().get(p, p) for p in sorted(counts)))
    return f"missing programs (tests {verb}): {listed} — apt-get install {install}"
