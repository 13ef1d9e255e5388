"""The import rules between contexts hold (ADR 0034, docs/contexts.md).

``make lint`` runs the same contracts (``lint-imports``); CI runs only ``make test``, so this
module runs them too. The contracts live in pyproject.toml (``[tool.importlinter]``):

- *contexts*: the apps are layered; an app imports only the apps below it.
- *surfaces*: no app imports another app's views, API, URLs, tasks, consumers or admin.

An ignored import that no longer exists fails the contracts (import-linter's default), so
the list of known exceptions cannot go stale. The third rule, no app importing another
app's underscore names, needs the names imported, which the import graph does not keep:
it is checked here on the source (AST).
"""

from __future__ import annotations

import ast
import tomllib
from copy import deepcopy
from pathlib import Path

import grimp
import pytest
from importlinter import configuration
from importlinter.application import use_cases
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "madoguchi"
CONFIG = ROOT / "pyproject.toml"

configuration.configure()


def test_import_contracts_are_kept(capsys):
    passed = use_cases.lint_imports(config_filename=str(CONFIG), cache_dir=None, no_logo=True)
    report = capsys.readouterr().out
    assert passed, f"import contracts broken (`make lint` shows the same):\n{report}"


def contracts() -> dict[str, dict]:
    return {c["id"]: c for c in tomllib.loads(CONFIG.read_text("utf-8"))["tool"]["importlinter"]
            ["contracts"]}


def test_every_app_has_its_place_in_the_layers():
    """A new context adds its line to the layers first."""
    layered = {name.strip().removeprefix("madoguchi.")
               for layer in contracts()["contexts"]["layers"]
               for name in layer.replace(":", "|").split("|")}
    apps = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert apps - layered == set(), "apps missing from the layers of pyproject.toml"
    assert layered - apps == set(), "layers naming no app"


def test_the_layers_drawn_in_docs_are_the_layers_checked():
    """docs/contexts.md draws the layers of pyproject.toml, line for line."""
    doc = (ROOT / "docs" / "contexts.md").read_text("utf-8")
    drawn = doc.split("## Layers", 1)[1].split("```", 2)[1].strip().splitlines()
    checked = [" | ".join(name.strip().removeprefix("madoguchi.") for name in layer.split("|"))
               for layer in contracts()["contexts"]["layers"]]
    assert [line.strip() for line in drawn] == checked


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("madoguchi", cache_dir=None, exclude_type_checking_imports=True)


def broken(graph: grimp.ImportGraph, contract_id: str, importer: str, imported: str) -> bool:
    """Whether the contract breaks once ``importer`` imports ``imported``."""
    options = use_cases.read_user_options(str(CONFIG))
    raw = next(c for c in options.contracts_options if c["id"] == contract_id)
    kind = {"layers": LayersContract, "forbidden": ForbiddenContract}[raw["type"]]
    contract = kind(name=raw["name"], session_options=options.session_options,
                    contract_options=raw)
    changed = deepcopy(graph)
    changed.add_import(importer=importer, imported=imported, line_number=1,
                       line_contents=f"import {imported}")
    return not contract.check(changed, verbose=False).kept


@pytest.mark.parametrize(("importer", "imported"), [
    ("madoguchi.core.dates", "madoguchi.organisation.models"),
    ("madoguchi.organisation.models", "madoguchi.accounts.models"),
    ("madoguchi.people.services", "madoguchi.scheduling.services"),
    ("madoguchi.scheduling.services", "madoguchi.meetings.services"),
    ("madoguchi.consultations.services", "madoguchi.meetings.services"),
    ("madoguchi.consultations.services", "madoguchi.applications.services"),
    ("madoguchi.guidance.selectors", "madoguchi.procedures.selectors"),
    ("madoguchi.consultations.selectors", "madoguchi.procedures.selectors"),
])
def test_an_import_upwards_or_sideways_breaks_the_layers(graph, importer, imported):
    assert broken(graph, "contexts", importer, imported)


@pytest.mark.parametrize(("importer", "imported"), [
    ("madoguchi.applications.services", "madoguchi.consultations.selectors"),
    ("madoguchi.consultations.services", "madoguchi.scheduling.services"),
    ("madoguchi.meetings.services", "madoguchi.notifications.services"),
    ("madoguchi.people.selectors", "madoguchi.accounts.policy"),
])
def test_an_import_downwards_keeps_the_layers(graph, importer, imported):
    assert not broken(graph, "contexts", importer, imported)


@pytest.mark.parametrize(("importer", "imported"), [
    ("madoguchi.applications.services", "madoguchi.consultations.views"),
    ("madoguchi.applications.services", "madoguchi.people.api"),
    ("madoguchi.consultations.services", "madoguchi.scheduling.urls"),
    ("madoguchi.meetings.services", "madoguchi.notifications.tasks"),
    ("madoguchi.consultations.views", "madoguchi.meetings.consumers"),
    ("madoguchi.procedures.selectors", "madoguchi.guidance.views.present"),
])
def test_another_apps_surface_breaks_the_surfaces_contract(graph, importer, imported):
    assert broken(graph, "surfaces", importer, imported)


def test_an_apps_own_surface_keeps_the_surfaces_contract(graph):
    assert not broken(graph, "surfaces", "madoguchi.consultations.urls",
                      "madoguchi.consultations.tasks")


# --- No app imports another app's underscore names -------------------------------------


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def app_of(dotted: str) -> str | None:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "madoguchi" else None


def is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def foreign_private_names(module: str, source: str) -> list[tuple[int, str]]:
    """``(line, name)`` for each underscore name of another app that ``module`` imports
    (``from x import _name``, ``import x._mod``) or reaches through a module it imported
    (``tasks._send`` after ``from madoguchi.notifications import tasks``)."""
    app = app_of(module)
    package = module.rsplit(".", 1)[0]
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []
    modules: dict[str, str] = {}  # local name -> module of another app
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [(alias.name, alias.asname or alias.name.split(".")[0],
                        alias.name if alias.asname else alias.name.split(".")[0])
                       for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            targets = [(f"{base}.{alias.name}", alias.asname or alias.name,
                        f"{base}.{alias.name}") for alias in node.names]
        else:
            continue
        for target, local, bound in targets:
            if bound == "madoguchi":
                modules[local] = bound
            if app_of(target) in (None, app):
                continue
            if any(private(part) for part in target.split(".")):
                found.append((node.lineno, target))
            elif is_module(bound):
                modules[local] = bound
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and private(node.attr):
            base = dotted(node.value)
            if base is None:
                continue
            head, _, rest = base.partition(".")
            if head not in modules:
                continue
            target = ".".join(filter(None, [modules[head], rest]))
            if app_of(target) not in (None, app) and is_module(target):
                found.append((node.lineno, f"{target}.{node.attr}"))
    return found


# Known uses of another app's underscore names: none left (issue 13 removed the last).
KNOWN: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_app_imports_another_apps_underscore_names():
    found = set()
    lines = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        for line, name in foreign_private_names(module, path.read_text(encoding="utf-8")):
            found.add((module, name))
            if (module, name) not in KNOWN:
                lines.append(f"{path.relative_to(ROOT)}:{line}: {name}")
    assert not lines, "underscore names of another app:\n" + "\n".join(lines)
    assert not KNOWN - found, f"no longer found, remove from KNOWN: {sorted(KNOWN - found)}"


@pytest.mark.parametrize(("source", "expected"), [
    ("from madoguchi.notifications.tasks import _send", ["madoguchi.notifications.tasks._send"]),
    ("from madoguchi.notifications import tasks\ntasks._send(1)",
     ["madoguchi.notifications.tasks._send"]),
    ("import madoguchi.notifications.tasks\nmadoguchi.notifications.tasks._send(1)",
     ["madoguchi.notifications.tasks._send"]),
    ("from madoguchi.notifications import tasks as t\nt._send(1)",
     ["madoguchi.notifications.tasks._send"]),
    ("from madoguchi.organisation.services import _common",
     ["madoguchi.organisation.services._common"]),
    ("from madoguchi.scheduling.models import Booking\nBooking._meta", []),
    ("from madoguchi.consultations import _helpers", ["madoguchi.consultations._helpers"]),
    ("from madoguchi.applications import services\nservices._own()", []),
    ("from . import tasks\ntasks._own()", []),
    ("from madoguchi.notifications import tasks\ntasks.__name__", []),
])
def test_the_underscore_check_finds_what_it_should(source, expected):
    found = [name for _, name in foreign_private_names("madoguchi.applications.mail", source)]
    assert found == expected
