"""config.asgi, for the crash test: the first move of a file into place (run when the
submission's transaction has committed) writes ``$CRASH_MARKER`` and then hangs, so that
the test can SIGKILL the server between COMMIT and the move, deterministically."""

import os
import time
from pathlib import Path

from config.asgi import application  # noqa: F401 - served by uvicorn
from madoguchi.files import services


def _hang_after_commit(public_id, key) -> None:
    Path(os.environ["CRASH_MARKER"]).write_text(public_id.hex)
    time.sleep(600)  # the test kills the process long before


services._moved_on_commit = _hang_after_commit
