"""Write the API's OpenAPI schema (committed as docs/openapi.json)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand


def schema_text() -> str:
    from madoguchi.api.urls import api

    return json.dumps(api.get_openapi_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI schema of /api/v1 to a file."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="docs/openapi.json")

    def handle(self, *args, path, **options):
        Path(path).write_text(schema_text(), encoding="utf-8")
        self.stdout.write(f"wrote {path}")
