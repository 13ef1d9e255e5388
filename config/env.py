"""The one place environment variables are read.

Every variable is declared with a default and a help text, so that
``python manage.py envdoc`` can print the list for the README.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EnvVar:
    name: str
    default: str
    help: str


REGISTRY: dict[str, EnvVar] = {}


def _as_bool(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _as_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


CASTS: dict[type | str, Callable[[str], Any]] = {
    str: str,
    int: int,
    float: float,
    bool: _as_bool,
    list: _as_list,
}


def env(name: str, default: str, help: str, cast: type = str) -> Any:  # noqa: A002
    """Read ``name`` from the environment (falling back to ``default``) and cast it."""
    REGISTRY[name] = EnvVar(name=name, default=default, help=help)
    raw = os.environ.get(name, default)
    return CASTS[cast](raw)
