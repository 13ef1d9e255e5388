"""Outside programs are needed one way only (tests/tools.py), and the list of Debian
packages is one list.

The source of tests/ and madoguchi/ is read (AST): every subprocess call, ``os.system``,
``os.exec*``, ``asyncio.create_subprocess_*`` and browser ``launch(executable_path=...)``
must run the project's own Python (``sys.executable``) or a program found by the helper —
``needs(...)`` in the tests, ``program(...)`` (madoguchi/site/checks_tools.py) in the
application — and nothing but those two helpers calls ``shutil.which``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests import tools

ROOT = Path(__file__).resolve().parents[1]
RUNNERS = {"subprocess.run", "subprocess.Popen", "subprocess.call", "subprocess.check_call",
           "subprocess.check_output", "asyncio.create_subprocess_exec",
           *(f"os.{name}" for name in ("execv", "execve", "execvp", "execvpe", "execl",
                                       "execle", "execlp", "execlpe", "spawnv", "spawnve",
                                       "spawnvp", "spawnvpe", "spawnl", "spawnlp",
                                       "posix_spawn", "posix_spawnp"))}
SHELLS = {"os.system", "os.popen", "asyncio.create_subprocess_shell"}
WHICH = "shutil.which"
HELPERS = {"tests": ("needs", ROOT / "tests" / "tools.py"),
           "madoguchi": ("program", ROOT / "madoguchi" / "site" / "checks_tools.py")}


def dotted(node: ast.AST, aliases: dict[str, str]) -> str:
    """``subprocess.run`` for ``subprocess.run``/``sp.run``/``run`` (as imported)."""
    if isinstance(node, ast.Name):
        return aliases.get(node.id, node.id)
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value, aliases)}.{node.attr}"
    return ""


def imported_names(tree: ast.Module) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


class Checker:
    """The violations in one module's source: ``(line, what)`` pairs."""

    def __init__(self, source: str, helper: str):
        self.tree = ast.parse(source)
        self.helper = helper
        self.aliases = imported_names(self.tree)
        self.found: set[str] = set()
        self._collect_found_names()

    def _allowed(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Starred):
            node = node.value
        if dotted(node, self.aliases) == "sys.executable":
            return True
        if isinstance(node, ast.Call):
            name = dotted(node.func, self.aliases).rsplit(".", 1)[-1]
            return name == self.helper or (name == "str" and len(node.args) == 1
                                           and self._allowed(node.args[0]))
        return isinstance(node, ast.Name) and node.id in self.found

    def _collect_found_names(self) -> None:
        """Names assigned (anywhere in the module) from the helper or sys.executable."""
        assigns = [n for n in ast.walk(self.tree) if isinstance(n, ast.Assign | ast.AnnAssign)]
        while True:
            before = len(self.found)
            for node in assigns:
                if node.value is not None and self._allowed(node.value):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    self.found.update(t.id for t in targets if isinstance(t, ast.Name))
            if len(self.found) == before:
                return

    def _program(self, command: ast.AST) -> ast.AST:
        if isinstance(command, ast.List | ast.Tuple) and command.elts:
            return command.elts[0]
        return command

    def violations(self) -> list[tuple[int, str]]:
        found = []
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Call):
                continue
            name = dotted(node.func, self.aliases)
            keywords = {k.arg: k.value for k in node.keywords}
            if name == WHICH:
                found.append((node.lineno, f"shutil.which: use {self.helper}()"))
            elif name in SHELLS or (name in RUNNERS and "shell" in keywords):
                found.append((node.lineno, f"{name} through a shell: run a program from "
                                           f"{self.helper}() with a list of arguments"))
            elif name in RUNNERS:
                command = node.args[0] if node.args else keywords.get("args")
                if command is None or not self._allowed(self._program(command)):
                    found.append((node.lineno, f"{name} runs a program not found by "
                                               f"{self.helper}()"))
            elif name.endswith(".launch") and "executable_path" in keywords \
                    and not self._allowed(keywords["executable_path"]):
                found.append((node.lineno, f"a browser launched from a path not found by "
                                           f"{self.helper}()"))
        return sorted(found)


def sources(folder: str):
    helper, exempt = HELPERS[folder]
    for path in sorted((ROOT / folder).rglob("*.py")):
        if path != exempt and "migrations" not in path.parts:
            yield path, helper


@pytest.mark.parametrize("folder", sorted(HELPERS))
def test_outside_programs_are_run_only_through_the_helper(folder):
    problems = [f"{path.relative_to(ROOT)}:{line}: {what}"
                for path, helper in sources(folder)
                for line, what in Checker(path.read_text(encoding="utf-8"), helper).violations()]
    assert not problems, "\n".join(problems)


def test_the_scan_finds_programs_run_past_the_helper():
    source = '''
import os, shutil, sys
import subprocess as sp
from subprocess import run
from tests.tools import needs

tool = needs("zbarimg")
alias = tool
sp.run(["pdftotext", "-", "-"])
run("pdftoppm")
sp.Popen([sys.executable, "-m", "uvicorn"])
sp.run([tool, "-q"])
sp.run([alias])
sp.run([needs("openssl"), "req"])
sp.run(["ls"], shell=True)
os.system("clamd")
shutil.which("msgfmt")
playwright.chromium.launch(executable_path="/usr/bin/chromium")
playwright.chromium.launch(executable_path=str(needs("chromium")))
'''
    lines = [line for line, _ in Checker(source, "needs").violations()]
    assert lines == [9, 10, 15, 16, 17, 18]


def test_every_program_a_test_needs_is_listed_with_its_package():
    helper_calls = set()
    for path, _ in sources("tests"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            # needs("x"), tools.needs("x"), pytest.mark.needs("x", "y")
            if isinstance(node, ast.Call) and dotted(node.func, {}).endswith("needs"):
                helper_calls.update(a.value for a in node.args if isinstance(a, ast.Constant))
    assert helper_calls, "no test needs an outside program: the scan is broken"
    assert helper_calls <= set(tools.packages()), helper_calls - set(tools.packages())


def test_the_readme_names_the_packages_ci_installs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = re.findall(r"apt-get install (?:-y )?([a-z0-9 .+-]+)", readme)
    wanted = sorted(set(tools.packages().values()))
    assert lines, "the README has no apt-get install line for the test suite"
    assert all(sorted(line.split()) == wanted for line in lines), (lines, wanted)
    assert "packages.txt" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_a_missing_program_skips_naming_its_package(monkeypatch, tmp_path):
    monkeypatch.setenv("TOOLS_PATH", str(tmp_path))
    monkeypatch.delenv("REQUIRE_TOOLS", raising=False)
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        tools.needs("pdftoppm", "zbarimg")
    assert str(skipped.value) == ("needs pdftoppm, zbarimg, not installed "
                                  "(apt-get install poppler-utils zbar-tools)")


@pytest.mark.parametrize("switch", ["REQUIRE_TOOLS", "REQUIRE_BROWSER"])
def test_a_missing_program_fails_when_tools_are_required(monkeypatch, tmp_path, switch):
    monkeypatch.setenv("TOOLS_PATH", str(tmp_path))
    monkeypatch.delenv("REQUIRE_TOOLS", raising=False)
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)
    monkeypatch.setenv(switch, "1")
    with pytest.raises(pytest.fail.Exception) as failed:
        tools.needs("clamd")
    assert "needs clamd, not installed (apt-get install clamav-daemon)" in str(failed.value)


def test_an_installed_program_is_found_on_the_search_path(monkeypatch, tmp_path):
    program = tmp_path / "openssl"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("TOOLS_PATH", str(tmp_path))
    assert tools.needs("openssl") == str(program)


def test_the_summary_counts_the_tests_held_back_per_program(monkeypatch):
    monkeypatch.delenv("REQUIRE_TOOLS", raising=False)
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)

    class Report:
        def __init__(self, reason: str):
            self.longrepr = ("tests/x.py", 1, f"Skipped: {reason}")

    skipped = [Report("needs chromium, not installed (apt-get install chromium)")] * 3 + [
        Report("needs pdftoppm, zbarimg, not installed (apt-get install poppler-utils "
               "zbar-tools)"), Report("the SQLite test database is in memory")]
    assert tools.summary(skipped, []) == (
        "missing programs (tests skipped): chromium 3, pdftoppm 1, zbarimg 1"
        " — apt-get install chromium poppler-utils zbar-tools")
    assert tools.summary([], []) == "outside programs: none missing"
