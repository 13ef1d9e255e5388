"""The benchmark's procedure (bench/procedures.py) is a valid definition with a
form of exactly 40 fields and two required attachments, its answers pass the form both as
the API's structured answers and as the form's POST, and the API accepts them."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bench import procedures as bench
from madoguchi.applications.models import Application
from madoguchi.procedures.formschema.django_forms import ProcedureForm
from madoguchi.procedures.formschema.engine import clean_answers
from madoguchi.procedures.selectors import published_get
from madoguchi.procedures.services import load_definition
from tests.applications.conftest import portal_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_version(setagaya):
    assert load_definition(bench.definition()).outcome == "created"
    return published_get(bench.CODE)


def test_the_bench_form_has_40_valid_fields(bench_version):
    spec = bench_version.form_spec
    assert len(list(spec.top_fields())) == 40
    assert clean_answers(spec, bench.answers()).ok
    form = ProcedureForm(spec, bench.post_data(spec))
    assert form.is_valid(), dict(form.errors)
    assert [a["code"] for a in bench_version.attachments if a["required"]] == [
        "identity", "evidence"]


def test_the_api_takes_the_bench_application(bench_version, strong_identity, files_dir):
    body = {"procedure": bench.CODE, "district": bench.DISTRICT,
            "answers": json.dumps(bench.answers(), ensure_ascii=False),
            "attachment.identity": SimpleUploadedFile("card.png", bench.PNG),
            "attachment.evidence": SimpleUploadedFile("proof.pdf", bench.PDF)}
    response = portal_client(strong_identity).post(
        "/api/v1/applications", body, headers={"Idempotency-Key": "bench-test-0001"})
    assert response.status_code == 201, response.content
    assert Application.objects.get().attachments.count() == 2
