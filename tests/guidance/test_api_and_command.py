"""The JSON API and `manage.py guide` (one question, and a batch file in one process)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from madoguchi.guidance.models import QueryLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    return Client()


def test_api_answers_with_sections_faqs_and_procedures(small_kb, api):
    response = api.get("/api/v1/guidance", {"q": "国保に入りたい", "district": "setagaya/ikejiri"})
    assert response.status_code == 200
    data = response.json()
    assert data["problem"] is None
    first = data["sections"][0]
    assert first["code"] == "kokuho-nenkin" and first["name"] == "国保・年金課"
    assert first["online"] is True and first["office"]["section"] == "kokuho-nenkin"
    assert first["reason"] and isinstance(first["score"], float)
    assert data["faqs"][0]["id"] == "kokuho-kanyu"
    assert {"code": "kokuho-kanyu", "name": "国民健康保険の加入届"} in data["procedures"]


def test_api_without_district_and_by_post(small_kb, api):
    by_get = api.get("/api/v1/guidance", {"q": "住民票がほしい"}).json()
    by_post = api.post("/api/v1/guidance", {"q": "住民票がほしい"},
                       content_type="application/json").json()
    assert by_get == by_post
    assert by_get["sections"][0]["code"] == "kumin-madoguchi"
    assert by_get["sections"][0]["online"] is False


def test_api_accepts_a_bare_district_code(small_kb, api):
    data = api.get("/api/v1/guidance", {"q": "介護保険", "district": "ikejiri"}).json()
    assert data["sections"][0]["office"]["section"] == "setagaya/hoken-fukushi"


def test_api_unknown_district_is_a_clear_400(small_kb, api):
    response = api.get("/api/v1/guidance", {"q": "国保", "district": "mars/olympus"})
    assert response.status_code == 400
    assert "地区「mars/olympus」は存在しません" in response.json()["detail"]


@pytest.mark.parametrize("q", ["", "😀😀", "あ" * 1001, "<script>alert(1)</script>"])
def test_api_bad_input_is_a_problem_not_an_error(small_kb, api, q):
    response = api.get("/api/v1/guidance", {"q": q})
    assert response.status_code == 200
    data = response.json()
    assert data["problem"] and data["sections"] == []
    assert response["Content-Type"].startswith("application/json")


def test_api_logs_unanswered_questions_without_personal_data(small_kb, api):
    api.get("/api/v1/guidance",
            {"q": "山田の電話 090-1234-5678 mail taro@example.jp 量子コンピュータ 3丁目"})
    api.get("/api/v1/guidance", {"q": "国保に入りたい"})  # answered: not logged
    api.get("/api/v1/guidance", {"q": ""})  # a problem: not logged
    (log,) = QueryLog.objects.all()
    assert log.reason == "no_answer"
    assert "090" not in log.text and "1234" not in log.text and "example" not in log.text
    assert "[電話]" in log.text and "[メール]" in log.text and "#丁目" in log.text
    assert len(log.text) <= 200


def run_guide(*args) -> str:
    out = io.StringIO()
    call_command("guide", *args, stdout=out)
    return out.getvalue()


def test_command_prints_the_api_json(small_kb, api):
    printed = json.loads(run_guide("国保に入りたい", "--district", "setagaya/ikejiri", "--json"))
    served = api.get("/api/v1/guidance",
                     {"q": "国保に入りたい", "district": "setagaya/ikejiri"}).json()
    assert printed == served


def test_command_prints_text_for_people(small_kb):
    text = run_guide("国保に入りたい")
    assert "国保・年金課 [kokuho-nenkin]" in text.splitlines()[0]


def test_command_batch_answers_every_line_in_order(small_kb, tmp_path):
    questions = ["国保に入りたい", "", "😀", "   ", "あ" * 1500, "住民票がほしい",
                 "<script>x</script>", "I am moving to Setagaya", "量子コンピュータ"]
    path = tmp_path / "questions.txt"
    raw = ("\ufeff" + "\r\n".join(questions)).encode("utf-8") + \
        b"\n\xff\xfe broken utf-8 \xe5\n"
    path.write_bytes(raw)
    lines = run_guide("--batch", str(path), "--json").splitlines()
    assert len(lines) == len(questions) + 1
    rows = [json.loads(line) for line in lines]
    assert [row["query"] for row in rows[:len(questions)]] == questions
    assert rows[0]["sections"][0]["code"] == "kokuho-nenkin"
    assert rows[1]["problem"] and rows[2]["problem"] and rows[3]["problem"]
    assert "1,000文字" in rows[4]["problem"]
    assert rows[5]["sections"][0]["code"] == "kumin-madoguchi"
    assert rows[7]["sections"][0]["code"] == "kumin-madoguchi"
    assert rows[8]["problem"] is None
    assert "\ufffd" in rows[9]["query"]


def test_command_batch_from_standard_input(small_kb, monkeypatch):
    import sys

    stdin = io.TextIOWrapper(io.BytesIO("国保\n住民票\n".encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    lines = run_guide("--batch", "-", "--json").splitlines()
    assert [json.loads(line)["query"] for line in lines] == ["国保", "住民票"]


def test_command_refuses_an_unknown_district_and_no_question(small_kb):
    with pytest.raises(CommandError, match="存在しません"):
        run_guide("国保", "--district", "nowhere")
    with pytest.raises(CommandError):
        run_guide()
