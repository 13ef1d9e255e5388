"""``manage.py load_guidance``: the seed knowledge base and synonyms, then the search index."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from madoguchi.guidance.index import vacuum
from madoguchi.guidance.loader import DATA_DIR, load_guidance


class Command(BaseCommand):
    help = ("Load the guidance knowledge base (data/kb/*.yaml) and synonyms "
            "(data/synonyms.yaml) and rebuild the search index. Idempotent: entries whose "
            "status staff have changed are kept as they are. Run after load_setagaya.")

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR,
                            help="folder holding kb/ and synonyms.yaml")

    def handle(self, *args, data_dir: Path, verbosity: int, **options):
        report = load_guidance(data_dir=data_dir)
        vacuum()
        if verbosity == 0:
            return
        self.stdout.write(f"案内の知識ベースを読み込みました（新規 {report.created}件・更新 "
                          f"{report.updated}件・職員の編集を保持 {report.kept}件・同義語 "
                          f"{report.synonyms}組・索引 {report.indexed}件）")
        for problem in report.problems:
            self.stdout.write(f"  読み込めない項目: {problem}")
