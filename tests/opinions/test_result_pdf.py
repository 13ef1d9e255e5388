"""The published result (意見の概要と区の考え方) as a public PDF: the ward's answer per
category, the counts by channel, dates in 和暦, none of the senders' names or contact; not
there before the result is published; publication refused while it cannot be printed. The
staff's tally PDF carries the counts."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from madoguchi.core.dates import wareki
from madoguchi.documents.content import PublicCommentResult, ResultAnswer, ResultSection
from madoguchi.documents.pubcom import render_pubcom_result
from madoguchi.opinions import services
from madoguchi.opinions.models import Channel
from tests.helpers import login

from .conftest import close, ikejiri, open_consultation, send

pytestmark = pytest.mark.django_db

ANSWER = "夜間の開所は来年度から試行します。"


def text_of(pdf: bytes) -> str:
    """The PDF's text with the line breaks and spaces of the layout taken out."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def sorted_and_answered(clerk, summary="開所時間の延長を求める意見", answer=ANSWER):
    """Two senders (a named one by the web form with contact in the text, one by postcard),
    their items in one group of 行政サービス with the ward's answer; the period over."""
    consultation = open_consultation(clerk)
    first = send(consultation, name="山田 花子", district=ikejiri(), age_band="70s",
                 text="開所時間を延ばして。連絡は 03-1234-5678 か hanako@mail.example.jp へ。"
                 ).opinion
    second = send(consultation, channel=Channel.POSTCARD, name="鈴木一郎", by=clerk,
                  received_on=timezone.localdate(), text="夜も開けて。").opinion
    category = consultation.categories.get(name="行政サービス")
    items = [services.item_add(by=clerk, opinion=opinion, text=opinion.text, category=category)
             for opinion in (first, second)]
    group = services.items_group(by=clerk, consultation=consultation, items=items,
                                 summary=summary)
    services.group_answer(by=clerk, group=group, summary=summary, answer=answer)
    close(consultation)
    return consultation


def result_pdf_url(consultation):
    return reverse("pubcom:result_pdf", kwargs={"consultation": consultation.public_id})


def test_published_result_pdf_has_the_answers_and_counts_and_nothing_personal(clerk, client):
    consultation = sorted_and_answered(
        clerk, summary="開所時間の延長を求める意見（山田 花子、03-1234-5678）",
        answer=ANSWER + "鈴木一郎様には別途 hanako@mail.example.jp へお返事します。")
    services.result_publish(by=clerk, consultation=consultation,
                            intro="ご意見ありがとうございました。")
    consultation.refresh_from_db()
    page = client.get(reverse("pubcom:result", kwargs={"consultation": consultation.public_id}))
    assert result_pdf_url(consultation) in page.content.decode()

    response = client.get(result_pdf_url(consultation))  # anonymous: the public's
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "意見の概要と区の考え方" in text and "地域行政推進計画（素案）" in text
    assert ANSWER in text and "行政サービス（2件）" in text and "同趣旨2件" in text
    assert "ご意見ありがとうございました。" in text
    # Counts by channel, dates in 和暦.
    assert "意見提出人数2人" in text and "はがき1人" in text and "意見件数2件" in text
    assert wareki(consultation.result_published_at) + "公表" in text
    assert wareki(consultation.ends_on, weekday=True) + "まで" in text
    # None of the senders' names, contact or the opinions as written.
    for personal in ("山田", "花子", "鈴木", "一郎", "03-1234-5678", "hanako", "mail.example"):
        assert personal not in text
    assert "〔氏名〕" in text and "開所時間を延ばして" not in text


def test_the_result_pdf_is_not_there_before_publication(clerk, client):
    consultation = sorted_and_answered(clerk)  # sorted and answered, not published
    assert client.get(result_pdf_url(consultation)).status_code == 404
    draft = services.consultation_create(by=clerk, data={
        "title": "準備中の案", "summary": "概要", "send_to": "地域行政課", "district": None,
        "starts_on": dt.date(2027, 1, 11), "ends_on": dt.date(2027, 2, 1)})
    assert client.get(result_pdf_url(draft)).status_code == 404
    # Not even for the staff who run it.
    login(client, clerk)
    assert client.get(result_pdf_url(consultation)).status_code == 404


def test_publication_is_refused_while_the_result_cannot_be_printed(clerk):
    consultation = sorted_and_answered(clerk, answer="検討します😀")
    problems = " ".join(services.publish_problems(consultation))
    assert "結果のPDF" in problems and "😀" in problems
    with pytest.raises(services.OpinionsError, match="まだ結果を公表できません"):
        services.result_publish(by=clerk, consultation=consultation)


def test_a_result_that_no_longer_prints_points_to_the_page(clerk, client):
    consultation = sorted_and_answered(clerk)
    services.result_publish(by=clerk, consultation=consultation)
    consultation.groups.update(answer="検討します😀")  # past the checks, e.g. by hand
    response = client.get(result_pdf_url(consultation))
    assert response.status_code == 503 and "意見の概要と区の考え方" in response.content.decode()


def test_a_long_result_runs_over_pages_with_every_answer():
    answers = tuple(ResultAnswer(f"意見の概要その{n}。" + "区民の声。" * 20,
                                 f"区の考え方その{n}。" + "検討します。" * 30, n % 3 + 1)
                    for n in range(1, 25))
    pdf = render_pubcom_result(PublicCommentResult(
        title="地域行政推進計画（素案）", starts_on=dt.date(2027, 1, 11),
        ends_on=dt.date(2027, 2, 1), published_on=dt.date(2027, 3, 15), people=40, items=50,
        channels=(("電子メール", 25), ("FAX", 15), ("LINE", 0)),
        sections=(ResultSection("区民参加", 50, answers),)))
    reader = PdfReader(io.BytesIO(pdf))
    text = text_of(pdf)
    assert len(reader.pages) > 2 and "令和9年3月15日公表" in text
    assert "令和9年1月11日（月）から令和9年2月1日（月）まで" in text
    assert all(f"区の考え方その{n}。" in text for n in range(1, 25))
    assert f"1/{len(reader.pages)}" in text


def test_the_tally_pdf_counts_by_channel_category_district_and_age(clerk, client):
    consultation = open_consultation(clerk)
    category = consultation.categories.get(name="区民参加")
    for channel, age in ((Channel.WEB, "70s"), (Channel.WEB, "30s"), (Channel.LINE, "")):
        opinion = send(consultation, channel=channel, age_band=age, district=ikejiri(),
                       name="山田 花子").opinion
        services.item_add(by=clerk, opinion=opinion, text="項目", category=category)
    login(client, clerk)
    response = client.get(reverse("opinions:tally_pdf",
                                  kwargs={"consultation": consultation.public_id}))
    text = text_of(response.content)
    assert "意見提出人数3人" in text and "意見件数3件" in text
    assert "提出方法別（人）" in text and "LINE1" in text and "区民参加3" in text
    assert "池尻3" in text and "70歳代1" in text and "記入なし1" in text
    assert "山田" not in text and wareki(consultation.ends_on) + "締切" in text
