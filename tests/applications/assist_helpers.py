"""Helpers of the assisted-application tests: what a browser would post."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from madoguchi.applications.models import Application
from madoguchi.procedures.formschema.django_forms import ProcedureForm
from tests.applications.conftest import PNG

# What the record cannot know for 児童手当 (added to the prefilled answers).
JIDO_REST = {"pension": "kokumin", "reason": "move_in", "reason_date": "2026-11-01",
             "has_spouse": False, "has_separate_child": False, "has_older_child": False,
             "bank_name": "世田谷銀行", "branch_name": "池尻支店", "account_type": "futsu",
             "account_number": "1234567", "account_holder_kana": "タナカ イチロウ",
             "confirm": True}


def post_data(spec, answers: dict) -> dict:
    """The form fields a browser posts for ``answers`` (as the form shows them)."""
    form = ProcedureForm(spec, answers=answers)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, "", False, []):
            continue
        data[name] = "on" if value is True else value
    return data


def jido_answers(application: Application) -> dict:
    answers = dict(application.answers)
    answers.update(JIDO_REST)
    # What the record lacks is typed in with the resident.
    answers["phone"] = answers.get("phone") or "03-1234-5678"
    address = dict(answers.get("address") or {})
    address["postal_code"] = address.get("postal_code") or "154-0001"
    answers["address"] = address
    children = answers.get("children") or [{
        "child": {"family": "池尻", "given": "太郎", "family_kana": "イケジリ",
                  "given_kana": "タロウ"},
        "child_birth_date": "2022-04-01", "child_relationship": "child"}]
    answers["children"] = [{**row, "child_lives_with_applicant": True} for row in children]
    return answers


def fill_in(client, application: Application, answers: dict):
    spec = application.version.form_spec
    return client.post(reverse("assist:form", kwargs={"public_id": application.public_id}),
                       {**post_data(spec, answers), "action": "next"})


def attach(client, application: Application, code: str, content: bytes = PNG,
           name: str = "scan.png", content_type: str = "image/png"):
    return client.post(
        reverse("assist:attachments", kwargs={"public_id": application.public_id}),
        {"code": code, "file": SimpleUploadedFile(name, content, content_type=content_type)})


def confirm(client, application: Application, key: str = "assist-key-000001"):
    return client.post(reverse("assist:confirm", kwargs={"public_id": application.public_id}),
                       {"key": key})


def complete_jido(client, application: Application, **changes) -> Application:
    """Fill in, attach and submit a 児童手当 draft through the pages."""
    answers = {**jido_answers(application), **changes}
    response = fill_in(client, application, answers)
    assert response.status_code == 302, response.content.decode()[:2000]
    for code in ("identity", "bank_account"):
        assert attach(client, application, code).status_code == 302
    assert confirm(client, application, key=f"key-{application.pk:012d}").status_code == 302
    application.refresh_from_db()
    return application
