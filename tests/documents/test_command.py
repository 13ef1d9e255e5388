"""``render_sample_documents OUTDIR`` writes the samples for ward review."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from tests.documents.conftest import Pdf


def test_the_command_writes_a_sample_notice_and_slip(tmp_path):
    out = StringIO()
    call_command("render_sample_documents", str(tmp_path / "review"), stdout=out)
    notice = Pdf((tmp_path / "review" / "sample-decision-notice.pdf").read_bytes())
    slip = Pdf((tmp_path / "review" / "sample-guidance-slip.pdf").read_bytes())
    assert "児童手当認定通知書" in notice.text
    assert "受付案内票" in slip.text
    assert "sample-decision-notice.pdf" in out.getvalue()
