"""``manage.py guide "<text>" [--district CODE] --json`` and ``--batch FILE --json``.

The batch mode reads one question per line and prints one JSON object per line, in
order, in one process; a line that cannot be answered gives an object with ``problem``
(it never stops the run).
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from madoguchi.guidance.selectors import Guidance, district_from_code, guide


class Command(BaseCommand):
    help = "Which section handles this worry? Prints ranked sections, FAQ answers, procedures."

    def add_arguments(self, parser):
        parser.add_argument("text", nargs="?", default=None, help="the question")
        parser.add_argument("--district", default="",
                            help="district code: region/district (setagaya/ikejiri) or a "
                                 "district code unique in the ward (ikejiri)")
        parser.add_argument("--batch", default=None,
                            help="file with one question per line ('-' for standard input)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, text, district, batch, json: bool, **options):
        place = None
        if district:
            place = district_from_code(district)
            if place is None:
                raise CommandError(f"地区「{district}」は存在しません（地域コード/地区コード"
                                   "の形で指定してください）。")
        if batch is None and text is None:
            raise CommandError("質問の文か --batch FILE を指定してください。")
        if batch is not None:
            self._batch(batch, place, as_json=json)
            return
        self._print(guide(text, district=place), as_json=json)

    def _batch(self, path: str, place, *, as_json: bool) -> None:
        stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
        with stream:
            for raw in stream:
                line = raw.decode("utf-8", errors="replace").rstrip("\r\n").lstrip("\ufeff")
                try:
                    result = guide(line, district=place)
                except Exception as error:  # noqa: BLE001 - one bad line never ends a batch
                    result = Guidance(query=line,
                                      problem=f"この質問は処理できませんでした（{type(error).__name__}）。")
                self._print(result, as_json=as_json)
                self.stdout.flush()

    def _print(self, result: Guidance, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(_dumps(result.as_json()))
            return
        if result.problem:
            self.stdout.write(result.problem)
            return
        for rank, hit in enumerate(result.sections, 1):
            online = "（オンライン相談可）" if hit.online else ""
            self.stdout.write(f"{rank}. {hit.kind.name} [{hit.kind.code}] {hit.score:.2f}"
                              f"{online}\n   {hit.reason}")
        for hit in result.faqs:
            self.stdout.write(f"  - {hit.entry.question} ({hit.score:.2f})")
        if not result.sections:
            self.stdout.write("該当する案内が見つかりませんでした。")


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
