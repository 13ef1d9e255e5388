"""Unanswered questions and "not helpful" votes are logged for staff, never with personal
data, and listed by frequency."""

from __future__ import annotations

import pytest

from madoguchi.guidance import services
from madoguchi.guidance.models import Feedback, QueryLog
from madoguchi.guidance.selectors import guide, unanswered_questions
from madoguchi.guidance.services import mask

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("text", "forbidden"), [
    ("電話は03-5432-1111です", ["5432", "1111"]),
    ("携帯０９０ー１２３４ー５６７８に連絡を", ["1234", "5678", "１２３４"]),
    ("taro.yamada+x@example.co.jp に返事を", ["taro", "example"]),
    ("マイナンバーは123456789012です", ["123456789012", "1234"]),
    ("池尻二丁目3番4号に住んでいます", ["3番4"]),
    ("生年月日は昭和三十五年一月二十日", ["三十五年一月二十"]),
])
def test_mask_removes_numbers_mail_and_phones(text, forbidden):
    masked = mask(text)
    assert all(part not in masked for part in forbidden), masked
    assert not any(char.isdigit() for char in masked)


def test_mask_drops_markup_collapses_spaces_and_cuts_to_200():
    assert mask("<b>国保</b>   の\n\n相談") == "国保 の 相談"
    assert len(mask("あ" * 5000)) == 200
    assert mask("") == ""


def test_unanswered_question_is_logged_masked(small_kb):
    result = guide("量子コンピュータについて 090-1234-5678")
    assert not result.answered
    log = services.guidance_log_unanswered(guidance=result)
    assert log.text == "量子コンピュータについて [電話]" and log.reason == "no_answer"
    assert services.guidance_log_unanswered(guidance=guide("国保に入りたい")) is None
    assert services.guidance_log_unanswered(guidance=guide("")) is None


def test_not_helpful_feedback_goes_to_the_learning_loop(small_kb):
    entry = small_kb["jumin-hyo"]
    services.feedback_record(entry=entry, helpful=True, query="住民票 3通")
    services.feedback_record(entry=entry, helpful=False,
                             query="住民票を郵送で 2通 yamada@example.jp")
    assert Feedback.objects.filter(entry=entry).count() == 2
    assert set(Feedback.objects.values_list("query", flat=True)) == {
        "住民票 #通", "住民票を郵送で #通 [メール]"}
    (log,) = QueryLog.objects.all()
    assert (log.reason, log.entry, log.text) == ("not_helpful", entry,
                                                 "住民票を郵送で #通 [メール]")


def test_questions_are_listed_by_frequency(small_kb):
    for text, times in (("ペットの登録", 3), ("空き家の相談 1件", 1), ("ペットの登録", 0)):
        for _ in range(times):
            services.query_log_record(text=text, reason="no_answer")
    services.query_log_record(text="ペットの登録", reason="not_helpful")
    rows = unanswered_questions()
    assert [(r["text"], r["reason"], r["count"]) for r in rows] == [
        ("ペットの登録", "no_answer", 3), ("ペットの登録", "not_helpful", 1),
        ("空き家の相談 #件", "no_answer", 1)]
    assert [r["count"] for r in unanswered_questions(reason="no_answer")] == [3, 1]
