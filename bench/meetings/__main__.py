"""``python -m bench.meetings child``: the bench's child process (its figures as JSON on
the last line); ``… relay --port N``: the bare relay server; no argument: the whole
bench, its figures printed."""

from __future__ import annotations

import asyncio
import json
import sys

from bench.meetings import run
from bench.meetings.child import run_child
from bench.meetings.signaling import serve_bare


def _port_arg() -> int:
    return int(sys.argv[sys.argv.index("--port") + 1])


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "child":
        print(json.dumps(run_child(), ensure_ascii=False))
    elif command == "relay":
        asyncio.run(serve_bare(_port_arg()))
    else:
        print(json.dumps(run(), ensure_ascii=False, indent=2))
