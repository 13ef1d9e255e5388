"""Write a sample decision notice and guidance slip as PDF files, for ward review."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from madoguchi.documents.errors import DocumentError
from madoguchi.documents.notice import render_decision_notice
from madoguchi.documents.samples import sample_notice, sample_slip
from madoguchi.documents.slip import render_guidance_slip


class Command(BaseCommand):
    help = "Write sample-decision-notice.pdf and sample-guidance-slip.pdf into OUTDIR."

    def add_arguments(self, parser):
        parser.add_argument("outdir", type=Path)

    def handle(self, *args, outdir: Path, **options):
        outdir.mkdir(parents=True, exist_ok=True)
        try:
            documents = {
                "sample-decision-notice.pdf": render_decision_notice(sample_notice()),
                "sample-guidance-slip.pdf": render_guidance_slip(sample_slip()),
            }
        except DocumentError as error:  # e.g. a broken DOCUMENTS_APPEAL_TEXT_FILE
            raise CommandError(str(error)) from error
        for name, data in documents.items():
            path = outdir / name
            path.write_bytes(data)
            self.stdout.write(f"{path} ({len(data):,} bytes)")
