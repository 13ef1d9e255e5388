"""LINE messages become opinions (ADR 0052): through the signed webhook, routed by the
consultation's keyword (or 「意見」 while one consultation takes opinions), judged as the
web form's, answered in Japanese through news' outbox against the local LINE stand-in;
messages naming no consultation stay in news' inbox as inquiries for staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from madoguchi.accounts.models import Role
from madoguchi.audit.models import AuditEntry
from madoguchi.news import tasks
from madoguchi.news.line import IncomingText
from madoguchi.news.models import DeliveryStatus, InboxMessage, OutboxMessage
from madoguchi.news.services import inbox_receive
from madoguchi.opinions import line as opinions_line
from madoguchi.opinions.models import MAX_TEXT, Channel, Opinion
from madoguchi.opinions.services import consultation_create
from tests.helpers import login
from tests.news.conftest import line_api  # noqa: F401 (the LINE stand-in fixture)
from tests.news.line_standin import USER, signed, webhook_body

from .conftest import close, consultation_data, open_consultation

pytestmark = pytest.mark.django_db

HOKEN = "setagaya/hoken-fukushi"


def post_webhook(text: str, event: int = 1, user: str = USER) -> None:
    body = webhook_body(text, event_id=f"01HEVENT{event:018d}", user=user)
    answer = Client(enforce_csrf_checks=True).post(
        "/news/line/webhook", body, content_type="application/json",
        headers={"X-Line-Signature": signed(body)})
    assert answer.status_code == 200


def replies(line_api) -> list[tuple[str, str]]:  # noqa: F811
    """The pushes (to whom, what) in the order they were queued, once the worker's code
    has sent them all to the stand-in."""
    tasks.send_due()
    queued = list(OutboxMessage.objects.order_by("pk"))
    assert {m.status for m in queued} <= {DeliveryStatus.DELIVERED}
    pushed = [(sent["body"]["to"], sent["body"]["messages"][0]["text"])
              for sent in line_api.sent if sent["kind"] == "push"]
    ordered = [(m.target, m.text) for m in queued if m.kind == "push"]
    assert sorted(pushed) == sorted(ordered)
    return ordered


def test_a_message_starting_with_the_keyword_becomes_an_opinion_and_is_answered(
        line_api, clerk, caplog):  # noqa: F811
    consultation = open_consultation(clerk, line_keyword="地域行政")
    public = Client().get(f"/pubcom/c/{consultation.public_id}/").content.decode()
    assert "メッセージの最初に「地域行政」と書き" in public
    post_webhook("【地域行政】\n地区の窓口を土曜日も開けてください。")

    [opinion] = Opinion.objects.all()
    assert opinion.consultation == consultation and opinion.channel == Channel.LINE
    assert opinion.text == "地区の窓口を土曜日も開けてください。"  # without the keyword
    assert opinion.channel_ref == USER and opinion.entered_by is None
    entry = AuditEntry.objects.get(record_type="opinion", record_id=str(opinion.public_id))
    assert "channel_ref" in entry.fields and entry.source == "opinions:line"
    assert InboxMessage.objects.get().handled_by == ["opinions"]

    [(to, text)] = replies(line_api)
    assert to == USER
    assert "「地域行政推進計画（素案）」へのご意見を受け付けました（受付番号 1）" in text
    assert USER not in caplog.text  # the LINE user id is never logged


def test_keywords_meet_in_full_and_half_width_and_must_be_a_whole_word(line_api, clerk):  # noqa: F811
    open_consultation(clerk, line_keyword="ＤＸ計画")  # kept folded: "DX計画"
    post_webhook("dx計画：オンライン申請を増やしてください", event=1)
    post_webhook("DX計画について教えてください", event=2)  # not the keyword and a separator
    assert list(Opinion.objects.values_list("text", flat=True)) == [
        "オンライン申請を増やしてください"]
    assert list(InboxMessage.objects.filter(handled_by=[]).values_list("text", flat=True)) == [
        "DX計画について教えてください"]


def test_iken_goes_to_the_one_consultation_taking_opinions_else_asks_which(
        line_api, clerk):  # noqa: F811
    first = open_consultation(clerk, line_keyword="地域行政")
    post_webhook("意見 説明会を夜にも開いてほしい", event=1)
    assert Opinion.objects.get().consultation == first

    open_consultation(clerk, title="公園の再整備（案）", line_keyword="公園")
    post_webhook("意見　ベンチを増やしてほしい", event=2)
    assert Opinion.objects.count() == 1
    assert InboxMessage.objects.filter(handled_by=[]).count() == 1  # left for staff
    text = replies(line_api)[-1][1]
    assert "複数あります" in text and "「公園」" in text and "「地域行政」" in text


def test_refusals_are_the_web_forms_and_are_answered_in_japanese(line_api, clerk):  # noqa: F811
    consultation = open_consultation(clerk, line_keyword="地域行政")
    post_webhook("地域行政", event=1)  # nothing after the keyword
    post_webhook("地域行政 " + "あ" * (MAX_TEXT + 1), event=2)
    close(consultation)
    post_webhook("地域行政 締切の後の意見です", event=3)

    assert not Opinion.objects.exists()
    texts = [text for _to, text in replies(line_api)]
    assert "ご意見を入れてください。" in texts[0]
    assert f"{MAX_TEXT:,}文字以内" in texts[1]
    assert "意見の募集は終わりました。" in texts[2] and "募集期間は" in texts[2]
    assert all("受け付けられませんでした" in text for text in texts)
    # Refused messages stay in the inbox, where staff can see them.
    assert InboxMessage.objects.filter(handled_by=[]).count() == 3


def test_a_message_naming_no_consultation_is_an_inquiry_seen_by_staff(
        line_api, clerk, make_staff):  # noqa: F811
    open_consultation(clerk, line_keyword="地域行政")
    post_webhook("粗大ごみの出し方を教えてください")
    assert not Opinion.objects.exists()
    [(to, text)] = replies(line_api)
    assert to == USER
    assert "お問い合わせは職員が確認します" in text and "メッセージの最初に案のキーワード" in text
    assert "「地域行政」" in text
    # The push's target is the only copy of the user id outside the inbox; no opinion.
    assert OutboxMessage.objects.get().post is None

    section = login(Client(), make_staff(Role.SECTION_STAFF, HOKEN, "line-reader"))
    page = section.get("/news/staff/line/inquiries/").content.decode()
    assert "粗大ごみの出し方を教えてください" in page and USER not in page
    assert AuditEntry.objects.filter(record_type="news_inbox_message", action="list").exists()
    centre = login(Client(), clerk)  # the ward's account is not one district's
    assert "粗大ごみ" not in centre.get("/news/staff/line/inquiries/").content.decode()


def test_without_a_consultation_taking_line_opinions_nothing_is_answered(line_api, clerk):  # noqa: F811
    open_consultation(clerk)  # no keyword: not by LINE
    inbox_receive([IncomingText(event_id="e1", line_user=USER, text="意見 あります",
                                timestamp_ms=1765000000000)])
    assert not Opinion.objects.exists() and not OutboxMessage.objects.exists()
    assert InboxMessage.objects.get().handled_by == []


def test_the_keyword_is_checked_when_the_consultation_is_made(clerk):
    made = open_consultation(clerk, line_keyword=" 地域 行政 ")
    assert made.line_keyword == "地域行政"
    for keyword, message in (("地域行政", "ほかの意見募集で使われています"),
                             ("意見", "使えません"), ("公園：案", "区切りの記号"),
                             ("あ" * 21, "20文字以内")):
        with pytest.raises(ValidationError) as refused:
            consultation_create(by=clerk, data=consultation_data(line_keyword=keyword))
        assert message in refused.value.message_dict["line_keyword"][0]


def test_route_reads_brackets_and_keeps_the_residents_spelling():
    class Stub:
        def __init__(self, keyword):
            self.line_keyword, self.starts_on, self.ends_on = keyword, None, None

    stub = Stub("公園")
    assert opinions_line.route("「公園」１２３番のベンチ", [stub]) == (stub, "１２３番のベンチ")
    assert opinions_line.route("公園が好きです", [stub]) == (None, None)
