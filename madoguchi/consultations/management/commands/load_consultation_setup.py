"""``manage.py load_consultation_setup``: default routing rules and online services."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from madoguchi.consultations.setup import load_consultation_setup


class Command(BaseCommand):
    help = ("Default topic→section routing rules for every category, and online "
            "consultation switched on at the five model centres (池尻, 松原, 用賀, 船橋, "
            "上北沢) for the four health & welfare sections, 課税課 and 国保・年金課. "
            "Idempotent: keeps administrators' edits. Run after load_setagaya.")

    def handle(self, *args, verbosity: int, **options):
        report = load_consultation_setup()
        if verbosity == 0:
            return
        self.stdout.write(f"相談の初期設定を読み込みました（回付の規則 新規 "
                          f"{report.rules_created}件・オンライン相談の実施 新規 "
                          f"{report.services_created}件）")
        if report.missing:
            self.stdout.write(f"  見つからない種別: {', '.join(sorted(set(report.missing)))}")
