"""The committed documentation matches the code."""

from __future__ import annotations

from pathlib import Path

from config.env import REGISTRY
from madoguchi.site.management.commands.export_openapi import schema_text

ROOT = Path(__file__).resolve().parent.parent


def test_committed_openapi_schema_is_current():
    committed = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run `make schema` and commit docs/openapi.json"


def test_readme_lists_every_environment_variable():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in REGISTRY if f"`{name}`" not in readme]
    assert not missing, f"run `make envdoc` and update README.md: {missing}"


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert "make run" in first_block and "make test" in first_block
