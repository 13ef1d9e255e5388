"""Staff split opinions into items, sort them into categories, merge duplicates into one
group with the ward's answer; the result is refused until every item is answered; the
published result masks names, addresses, phone numbers and e-mail addresses; the tally
(HTML, CSV, PDF) counts people by channel, district and age band and items by category."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.core.text import mask_personal
from madoguchi.opinions import selectors, services
from madoguchi.opinions.models import Channel, Opinion, State
from tests.helpers import login

from .conftest import close, ikejiri, open_consultation, send

pytestmark = pytest.mark.django_db


def url(name, consultation, **kwargs):
    return reverse(f"opinions:{name}", kwargs={"consultation": consultation.public_id,
                                                **kwargs})


def category(consultation, name):
    return consultation.categories.get(name=name)


def test_split_sort_merge_answer_and_publish_with_personal_data_masked(clerk, client):
    consultation = open_consultation(clerk)
    first = send(consultation, name="世田谷 花子", district=ikejiri(), age_band="70s",
                 text="開所時間を延ばしてほしい。連絡は 03-1234-5678 か hanako@mail.example.jp へ。"
                      "オンライン相談も増やして。").opinion
    second = send(consultation, channel=Channel.LINE, text="夜も開けてほしい。").opinion
    login(client, clerk)
    # Split the first opinion into two items, the second into one.
    for opinion, text, name in (
            (first, "開所時間を延ばしてほしい（世田谷 花子、03-1234-5678）。", "行政サービス"),
            (first, "オンライン相談を増やしてほしい。", "DX推進"),
            (second, "夜も開けてほしい。", "")):
        response = client.post(url("opinion", consultation, opinion=opinion.public_id),
                               {"text": text, "category": category(consultation, name).pk
                                if name else ""})
        assert response.status_code == 302
    assert consultation.items.count() == 3
    # Publishing now is refused with every reason.
    close(consultation)
    refused = client.post(url("publish", consultation))
    page = refused.content.decode()
    assert refused.status_code == 409 and "まだ結果を公表できません" in page
    assert "分類が決まっていない項目が1件あります" in page
    assert "区の考え方に結び付いていない項目が3件あります" in page
    assert Opinion.objects.count() == 2 and consultation.state == State.OPEN

    late_item = consultation.items.get(category__isnull=True)
    client.post(url("item_sort", consultation, item=late_item.pk),
                {"category": category(consultation, "行政サービス").pk})
    hours = list(consultation.items.filter(category__name="行政サービス"))
    # Items of different categories cannot be one group.
    mixed = client.post(url("sorting", consultation),
                        {"items": [i.pk for i in consultation.items.all()], "summary": "x"})
    assert "分類の違う項目は一つにまとめられません" in mixed.content.decode()
    merged = client.post(url("sorting", consultation),
                         {"items": [i.pk for i in hours],
                          "summary": "開所時間の延長を求める意見（世田谷 花子）"})
    assert merged.status_code == 302
    online = consultation.items.get(category__name="DX推進")
    client.post(url("sorting", consultation), {"items": [online.pk], "summary": ""})
    groups = list(consultation.groups.order_by("id"))
    assert [g.items.count() for g in groups] == [2, 1]
    assert "区の考え方を書いていない意見のまとまりが2件" in " ".join(
        services.publish_problems(consultation))
    answers = ("夜間の開所は試行を検討します。", "オンライン相談を全地区に広げます。")
    for group, answer in zip(groups, answers, strict=True):
        assert client.post(url("group", consultation, group=group.pk),
                           {"summary": group.summary, "answer": answer}).status_code == 302
    assert client.post(url("publish", consultation), {"intro": "ご意見ありがとうございました。"}
                       ).status_code == 302
    consultation.refresh_from_db()
    assert consultation.state == State.RESULT

    result = client.get(reverse("pubcom:result",
                                kwargs={"consultation": consultation.public_id}))
    shown = result.content.decode()
    assert "夜間の開所は試行を検討します。" in shown and "同趣旨 2件" in shown
    assert "世田谷 花子" not in shown and "03-1234-5678" not in shown
    assert "hanako@mail.example.jp" not in shown and "〔氏名〕" in shown
    assert "行政サービス" in shown and "DX推進" in shown and "LINE 1" in shown
    # After publication the sorting is frozen and publishing again is refused.
    again = client.post(url("publish", consultation))
    assert again.status_code == 409 and "すでに公表" in again.content.decode()
    with pytest.raises(services.OpinionsError, match="結果を公表した後"):
        services.item_sort(by=clerk, item=online, category=None)


def test_publish_is_refused_while_an_opinion_is_not_split(clerk):
    consultation = open_consultation(clerk)
    send(consultation)
    close(consultation)
    with pytest.raises(services.OpinionsError) as refused:
        services.result_publish(by=clerk, consultation=consultation)
    assert "項目に分けていない意見が1件あります" in " ".join(refused.value.messages)


def test_publish_waits_for_the_end_of_the_period(clerk):
    consultation = open_consultation(clerk)
    with pytest.raises(services.OpinionsError, match="まだ終わっていません"):
        services.result_publish(by=clerk, consultation=consultation)


def test_categories_are_editable_but_a_used_one_stays(clerk, client):
    consultation = open_consultation(clerk)
    login(client, clerk)
    assert client.post(url("category_add", consultation), {"name": "防災"}).status_code == 302
    duplicate = client.post(url("category_add", consultation), {"name": "防災"})
    assert "同じ名前の分類" in duplicate.content.decode()
    opinion = send(consultation).opinion
    services.item_add(by=clerk, opinion=opinion, text="項目",
                      category=category(consultation, "その他"))
    used = client.post(url("category_remove", consultation,
                           category=category(consultation, "その他").pk))
    assert used.status_code == 409 and "削除できません" in used.content.decode()
    unused = client.post(url("category_remove", consultation,
                             category=category(consultation, "防災").pk))
    assert unused.status_code == 302 and not consultation.categories.filter(name="防災").exists()


def test_tally_by_channel_category_district_and_age_as_html_csv_and_pdf(clerk, client):
    consultation = open_consultation(clerk)
    for channel, age in ((Channel.WEB, "70s"), (Channel.WEB, "30s"), (Channel.LINE, "")):
        opinion = send(consultation, channel=channel, age_band=age, district=ikejiri()).opinion
        services.item_add(by=clerk, opinion=opinion, text="項目",
                          category=category(consultation, "区民参加"))
    counted = selectors.tally(consultation)
    assert (counted.people, counted.items) == (3, 3)
    rows = {kind: dict(found) for kind, found in counted.rows.items()}
    assert rows["channel"]["ホームページ（意見募集フォーム）"] == 2 and rows["channel"]["LINE"] == 1
    assert rows["category"]["区民参加"] == 3 and rows["district"]["池尻"] == 3
    assert rows["age_band"]["70歳代"] == 1 and rows["age_band"]["記入なし"] == 1
    login(client, clerk)
    page = client.get(url("tally", consultation)).content.decode()
    assert "<svg" in page and 'role="img"' in page and "意見提出人数 3人" in page
    csv_text = client.get(url("tally_csv", consultation)).content.decode("utf-8-sig")
    assert "提出方法別（人）,LINE,1" in csv_text and "分類別（件）,区民参加,3" in csv_text
    printed = client.get(url("tally_pdf", consultation))
    assert printed["Content-Type"] == "application/pdf" and printed.content.startswith(b"%PDF")


def test_mask_personal_hides_names_addresses_phones_and_mail():
    text = ("世田谷 花子です。池尻2丁目3番4号に住んでいます。電話 03-1234-5678、"
            "ｍａｉｌ hanako@mail.example.jp 〒154-0001。世田谷花子より。"
            "28地区すべてで令和4年7月27日")
    masked = mask_personal(text, names=["世田谷 花子"])
    for secret in ("花子", "2丁目3番4号", "03-1234-5678", "hanako@", "154-0001"):
        assert secret not in masked
    assert "28地区" in masked and "令和4年7月27日" in masked  # ordinary numbers stay
    assert mask_personal("０３－１２３４－５６７８まで") == "〔電話番号〕まで"
