"""The bench procedure (a form of exactly 40 fields, two attachments), its answers, and
(a): the server time of render, validate and submit in this process."""

from __future__ import annotations

import os
import statistics
import time
import uuid

CODE = "bench-40"
RUNS = 200
DISTRICT = "setagaya/ikejiri"

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5dd8a1a0000000049454e44ae426082")
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

# Four fields of each of ten types (40 in all), with a valid raw answer each.
FIELD_TYPES: list[tuple[str, dict, object]] = [
    ("text", {"max_length": 60}, "世田谷区役所"),
    ("kana", {}, "せたがや"),
    ("name", {}, {"family": "池尻", "given": "花子", "family_kana": "いけじり",
                  "given_kana": "はなこ"}),
    ("date", {"past": True}, "平成2年5月1日"),
    ("integer", {"min": 0, "max": 100}, "3"),
    ("phone", {}, "03-1234-5678"),
    ("email", {}, "hanako@example.jp"),
    ("select", {"choices": [{"value": "a", "label": "あ"}, {"value": "b", "label": "い"}]},
     "a"),
    ("address", {}, {"postal_code": "154-0001", "address": "世田谷区池尻二丁目1番1号",
                     "building": ""}),
    ("yesno", {}, "yes"),
]
FIELDS_PER_TYPE = 4


def definition() -> dict:
    """課税証明's definition with a form of exactly 40 fields and two required
    attachments."""
    from madoguchi.procedures.loader import DATA_DIR, read_definition

    base = read_definition(DATA_DIR / "kazei-shomei.yaml")
    sections = []
    for index, (kind, options, _answer) in enumerate(FIELD_TYPES):
        sections.append({"title": f"項目群{index + 1}", "fields": [
            {"name": f"{kind}_{n}", "type": kind, "label": f"{kind} {n}", "required": True,
             **options} for n in range(FIELDS_PER_TYPE)]})
    return {
        **base, "code": CODE, "name": "ベンチマーク用の申請（40項目）",
        "name_en": "Benchmark application (40 fields)", "channels": ["online"],
        "identity": "strong", "form": {"sections": sections}, "notices": [],
        "attachments": [
            {"code": "identity", "name": "本人確認書類", "explanation": "ベンチマーク用"},
            {"code": "evidence", "name": "証明書類", "explanation": "ベンチマーク用"}],
    }


def answers() -> dict:
    return {f"{kind}_{n}": answer for kind, _options, answer in FIELD_TYPES
            for n in range(FIELDS_PER_TYPE)}


def post_data(spec) -> dict[str, str]:
    """The answers as the form's POST (compound fields in their parts)."""
    raw, data = answers(), {}
    for field in spec.top_fields():
        if field.parts:
            for part in field.parts:
                data[f"{field.name}-{part}"] = raw[field.name].get(part, "")
        else:
            data[field.name] = raw[field.name]
    return data


def setup() -> None:
    from django.core.management import call_command

    from madoguchi.procedures.services import load_definition

    call_command("migrate", verbosity=0)
    call_command("load_setagaya", verbosity=0)
    call_command("load_procedures", verbosity=0)
    load_definition(definition())


def resident_identity(n: int):
    from madoguchi.portal.models import Level, Method, PortalIdentity

    return PortalIdentity.objects.create(method=Method.OIDC, level=Level.STRONG,
                                         issuer="https://idp.example.jp",
                                         subject=f"bench-{n}-{uuid.uuid4().hex[:8]}")


def stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"runs": len(ordered), "median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2),
            "max_ms": round(ordered[-1], 2)}


def _timed(fn, runs: int, warmup: int = 5) -> dict:
    """Wall clock and this process's CPU time (which other work on a shared machine does
    not inflate; PostgreSQL's own work is not in it) per call."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    cpu_stats = stats(cpu)
    return {**stats(wall), "cpu_median_ms": cpu_stats["median_ms"],
            "cpu_p95_ms": cpu_stats["p95_ms"]}


def measure() -> dict:
    from django.db import connection
    from django.template.loader import render_to_string

    from madoguchi.applications import services
    from madoguchi.applications.models import Application, ApplicationAttachment
    from madoguchi.files.models import StoredFile
    from madoguchi.organisation.models import District
    from madoguchi.procedures.formschema.django_forms import ProcedureForm
    from madoguchi.procedures.selectors import published_get

    setup()
    version = published_get(CODE)
    spec = version.form_spec
    if len(list(spec.top_fields())) != 40:
        raise RuntimeError("the bench form must have 40 fields")
    raw, data = answers(), post_data(spec)
    region, code = DISTRICT.split("/")
    district = District.objects.select_related("region").get(region__code=region, code=code)
    actor = services.Actor(source="bench", identity=resident_identity(0))

    def render() -> None:
        form = ProcedureForm(spec, answers=raw)
        render_to_string("procedures/form/_fields.html", {"form": form})

    def validate() -> None:
        form = ProcedureForm(spec, data)
        if not form.is_valid():
            raise RuntimeError(f"bench answers invalid: {dict(form.errors)}")

    def submit() -> None:
        result = services.application_submit_new(
            actor=actor, version=version, district=district, raw=raw,
            files=[("identity", PNG, "card.png"), ("evidence", PDF, "proof.pdf")],
            idempotency_key=f"bench-{uuid.uuid4().hex}")
        if result.repeated:
            raise RuntimeError("a fresh key was taken for a repeat")

    figures = {"database": connection.vendor, "load_average": round(os.getloadavg()[0], 1),
               "cpus": os.cpu_count(), "fields": len(list(spec.top_fields())),
               "inputs": len(ProcedureForm(spec).fields),
               "render": _timed(render, RUNS), "validate": _timed(validate, RUNS),
               "submit": _timed(submit, RUNS)}
    made = Application.objects.count()
    figures["rows"] = {"applications": made,
                       "attachments": ApplicationAttachment.objects.count(),
                       "files": StoredFile.objects.count()}
    if not (figures["rows"]["attachments"] == figures["rows"]["files"] == 2 * made):
        raise RuntimeError(f"row counts do not match: {figures['rows']}")
    return figures
