"""The fuzzed API test counts its requests; the count is printed at the end of the run."""

from __future__ import annotations

from collections import Counter

REQUESTS: Counter = Counter()


def pytest_terminal_summary(terminalreporter):
    if REQUESTS:
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(REQUESTS.items()))
        terminalreporter.write_line(
            f"schemathesis: {sum(REQUESTS.values())} API requests ({statuses})")
