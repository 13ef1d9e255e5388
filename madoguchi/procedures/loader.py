"""Load the ward's default catalogue from ``data/*.yaml`` (one procedure per file).

Idempotent (``services.load_definition``): a new file publishes version 1; an unchanged
file changes nothing; a changed file makes a new version and never overwrites a published
one (and never an administrator's work: see ``load_definition``).
"""

from __future__ import annotations

from pathlib import Path

from madoguchi.procedures.problems import DefinitionInvalid
from madoguchi.procedures.services import LoadResult, load_definition
from madoguchi.procedures.yamlio import parse_yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


class DataFileError(ValueError):
    """A data file that cannot be loaded; the message names the file and every problem."""


def read_definition(path: Path) -> dict:
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise DataFileError(f"{path.name}: {error}") from None
    if not isinstance(data, dict):
        raise DataFileError(f"{path.name}: not a procedure definition")
    return data


def load_directory(directory: Path = DATA_DIR) -> list[LoadResult]:
    """Load every ``*.yaml`` in ``directory`` (sorted by name); stops at a broken file."""
    results = []
    for path in sorted(directory.glob("*.yaml")):
        definition = read_definition(path)
        try:
            results.append(load_definition(definition))
        except DefinitionInvalid as error:
            lines = [f"  [{part}] {message}" for part, messages in error.message_dict.items()
                     for message in messages]
            raise DataFileError(f"{path.name}:\n" + "\n".join(lines)) from None
    return results


def check_life_events() -> int:
    """Every procedure a life event names is in the catalogue (``DataFileError`` if not)."""
    from madoguchi.procedures.life_events import LifeEventError
    from madoguchi.procedures.life_events import check_life_events as check
    from madoguchi.procedures.models import Procedure

    try:
        return check(set(Procedure.objects.values_list("code", flat=True)))
    except LifeEventError as error:
        raise DataFileError(str(error)) from None
