"""The residents' page /guide/: one question box, answers as cards, district remembered in
the session, furigana, feedback without personal data, bad input never an error page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from madoguchi.guidance.furigana import annotate_word, ruby_html
from madoguchi.guidance.models import Feedback, QueryLog, QueryReason
from tests.guidance.engine_world import small_kb  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_kb")]

GUIDE = "/guide/"
FEEDBACK = "/guide/feedback/"


def ask(client: Client, q: str, **extra):
    return client.post(GUIDE, {"q": q, **extra})


def text_of(response) -> str:
    return response.content.decode()


def test_the_page_is_public_and_asks_one_question():
    response = Client().get(GUIDE)
    assert response.status_code == 200
    page = text_of(response)
    assert page.count("<textarea") == 1
    assert 'name="district"' in page
    assert "guide-results" not in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_answers_come_as_cards_with_reason_office_faq_and_procedures():
    page = text_of(ask(Client(), "会社を辞めたので国保に入りたい", district="setagaya/ikejiri"))
    cards = re.findall(r'<li class="card guide-card">(.*?)</li>\s*(?=<li class="card|</ol>)',
                       page, re.S)
    assert cards, page
    assert "国保・年金課" in cards[0]
    assert "guide-card__reason" in cards[0]
    assert "<dt>担当窓口</dt>" in cards[0]
    # The best FAQ answer is open, its section named, and the related procedure listed.
    assert "<details open>" in page
    assert "退職した日の翌日から14日以内" in page
    assert "国民健康保険の加入届" in page


def test_online_consultation_is_offered_with_an_honest_next_step():
    page = text_of(ask(Client(), "国保に入りたい", district="setagaya/ikejiri"))
    assert "この課にはお近くのまちづくりセンターからオンラインで相談できます" in page
    assert "池尻まちづくりセンターの窓口で「国保・年金課とオンラインで相談したい」" in page
    assert "月曜日～金曜日 8:30～17:15" in page  # " to " in English
    # How to reach the centre: 池尻 has no number of its own in the data, so the branch
    # office's (here none either) or the ward office's main number.
    assert 'href="tel:03-5432-1111"' in page and "電話（世田谷区役所 代表）" in page


def test_without_a_district_the_page_says_what_choosing_one_adds():
    page = text_of(ask(Client(), "国保に入りたい"))
    assert "オンラインで相談できます" not in page
    assert "お住まいの地区を選んで" in page


def test_the_district_is_remembered_in_the_session_not_the_url():
    client = Client()
    response = ask(client, "住民票がほしい", district="kinuta/kinuta")
    assert response.status_code == 200
    assert client.session["guidance.district"] == "kinuta/kinuta"
    page = text_of(client.get(GUIDE))
    assert '<option value="kinuta/kinuta" selected>' in page
    # A tampered district is ignored and the remembered one kept.
    ask(client, "住民票がほしい", district="nowhere/at-all")
    assert client.session["guidance.district"] == "kinuta/kinuta"


def test_a_question_in_the_url_is_not_searched():
    page = text_of(Client().get(GUIDE + "?q=国保"))
    assert "guide-results" not in page


@pytest.mark.parametrize(("question", "message"), [
    ("", "質問を入力してください。"),
    ("   \n ", "質問を入力してください。"),
    ("国保" * 501, "質問が長すぎます。1,000文字以内で入力してください。"),
    ("😀😭🙏", "検索できる言葉が含まれていません。"),
])
def test_bad_input_gets_the_engines_message_not_an_error_page(question, message):
    response = ask(Client(), question)
    assert response.status_code == 200
    page = text_of(response)
    assert 'role="alert"' in page and message in page


def test_html_and_script_are_never_echoed_unescaped():
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>国保'
    client = Client()
    page = text_of(ask(client, attack))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    # The feedback forms carry the question back: escaped there too.
    assert 'value="&lt;script&gt;' in page
    page = text_of(client.post(FEEDBACK, {"entry": "kokuho-kanyu", "helpful": "no",
                                          "q": attack}))
    assert "<script>alert" not in page and "<img src=x" not in page


def test_drafts_are_never_shown_to_residents():
    page = text_of(ask(Client(), "防災訓練に参加したい"))
    assert "防災訓練に参加したい</span></summary>" not in page
    assert "まちづくりセンターにお問い合わせください。" not in page
    response = Client().post(FEEDBACK, {"entry": "draft-bosai", "helpful": "yes",
                                        "q": "防災訓練"})
    assert response.status_code == 200
    assert not Feedback.objects.exists()


def test_a_question_without_a_good_answer_is_logged_masked():
    ask(Client(), "うちの猫の名前を区に届けたい 電話は090-1234-5678 です")
    log = QueryLog.objects.get()
    assert log.reason == QueryReason.NO_ANSWER
    assert "1234" not in log.text and "[電話]" in log.text


def test_not_helpful_feedback_is_logged_without_personal_data():
    client = Client()
    question = "会社を辞めた。国保はどうする？ mail: taro@example.jp 生年 1980年"
    response = client.post(FEEDBACK, {"entry": "kokuho-kanyu", "helpful": "no",
                                      "q": question}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = text_of(response)
    assert 'role="status"' in fragment and "ありがとうございました" in fragment
    assert "<html" not in fragment
    vote = Feedback.objects.get()
    assert vote.helpful is False and vote.entry.code == "kokuho-kanyu"
    assert "taro@example.jp" not in vote.query and "1980" not in vote.query
    log = QueryLog.objects.get(reason=QueryReason.NOT_HELPFUL)
    assert "[メール]" in log.text and "#" in log.text and log.entry.code == "kokuho-kanyu"


def test_one_vote_per_answer_and_session():
    client = Client()
    vote = {"entry": "kokuho-kanyu", "helpful": "no", "q": "国保"}
    for _ in range(3):
        response = client.post(FEEDBACK, vote, HTTP_HX_REQUEST="true")
        assert "ありがとうございました" in text_of(response)
    assert Feedback.objects.count() == 1
    client.post(FEEDBACK, {**vote, "entry": "nenkin-menjo"}, HTTP_HX_REQUEST="true")
    assert Feedback.objects.count() == 2


def test_feedback_without_javascript_returns_the_results_with_the_thanks():
    response = Client().post(FEEDBACK, {"entry": "kokuho-kanyu", "helpful": "yes",
                                        "q": "会社を辞めたので国保に入りたい"})
    page = text_of(response)
    assert response.status_code == 200
    assert "<html" in page and "guide-card" in page
    assert page.count("guide-feedback--done") == 1
    assert Feedback.objects.get().helpful is True
    assert not QueryLog.objects.exists()  # re-showing the results logs nothing again


def test_furigana_toggle_works_without_javascript_and_is_remembered():
    client = Client()
    page = text_of(ask(client, "会社を辞めたので国保に入りたい", furigana="on"))
    assert "<ruby>" in page and 'aria-pressed="true"' in page
    assert "<ruby>退職<rp>（</rp><rt>たいしょく</rt><rp>）</rp></ruby>" in page
    page = text_of(ask(client, "会社を辞めたので国保に入りたい"))
    assert "<ruby>" in page  # remembered in the session
    page = text_of(ask(client, "会社を辞めたので国保に入りたい", furigana="off"))
    assert "<ruby>" not in page and 'aria-pressed="false"' in page


def test_furigana_toggle_before_asking_shows_no_error():
    page = text_of(ask(Client(), "", furigana="on"))
    assert 'role="alert"' not in page and 'aria-pressed="true"' in page


def test_htmx_swaps_only_the_guide_region():
    response = Client().post(GUIDE, {"q": "保育園に入りたい"}, HTTP_HX_REQUEST="true")
    fragment = text_of(response)
    assert fragment.lstrip().startswith('<div class="guide-body')
    assert "<html" not in fragment and "保育課" in fragment


def test_english_pages_show_english_where_present_else_japanese_marked():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = text_of(ask(client, "I quit my job. national health insurance"))
    assert '<html lang="en">' in page
    assert "I quit my job. Do I need to join National Health Insurance?" in page
    # No English answer in the knowledge base: the Japanese one, marked as Japanese.
    assert re.search(r'class="guide-faq__answer" lang="ja"><p>退職した日の翌日', page)


# ----------------------------------------------------------------------------- furigana


@pytest.mark.parametrize(("surface", "reading", "html"), [
    ("引っ越し", "ヒッコシ", "<ruby>引<rp>（</rp><rt>ひ</rt><rp>）</rp></ruby>っ"
                            "<ruby>越<rp>（</rp><rt>こ</rt><rp>）</rp></ruby>し"),
    ("区役所", "クヤクショ", "<ruby>区役所<rp>（</rp><rt>くやくしょ</rt><rp>）</rp></ruby>"),
    ("まちづくり", "マチヅクリ", "まちづくり"),
    ("<b>", "<b>", "&lt;b&gt;"),
    ("謎漢字", "謎漢字", "謎漢字"),  # no reading known: no ruby rather than a wrong one
])
def test_furigana_sits_over_the_kanji_only(surface, reading, html):
    assert annotate_word(surface, reading) == html


def test_furigana_escapes_everything_and_keeps_lines():
    html = ruby_html("国保に<script>加入</script>\n住民票")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("\n") == 1 and "<rt>じゅうみんひょう</rt>" in html
