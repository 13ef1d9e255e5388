"""The residents' pages, the staff catalogue, the preview and the administrators' editor."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from madoguchi.procedures.models import Procedure, ProcedureVersion

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


# ── residents ──────────────────────────────────────────────────────────────────────────


def test_public_list_groups_procedures_by_section(client, catalogue,
                                                  django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("procedures:public_list"))
    html = text_of(response)
    assert response.status_code == 200
    assert "12件の手続きがあります。" in html
    assert "子ども家庭支援課" in html and "児童手当の認定請求" in html
    assert "課税（非課税）証明書 1通につき 300円" in html
    assert 'href="/procedures/kazei-shomei/"' in html


def test_public_list_filtered_by_channel(client, catalogue):
    html = text_of(client.get(reverse("procedures:public_list"), {"channel": "online"}))
    assert "転入届" not in html and "生活保護の申請" not in html
    assert "住民票の写しの交付請求" in html
    assert text_of(client.get(reverse("procedures:public_list"), {"channel": "fax"})).count(
        "card__title") == 12  # an unknown filter shows everything


def test_public_detail_says_what_is_needed_and_where(client, catalogue):
    html = text_of(client.get(reverse("procedures:public_detail", args=["kazei-shomei"])))
    assert "区役所（本庁）課税課の窓口で申請できます。" in html
    assert "お近くのまちづくりセンターで、職員と一緒に申請できます。" in html
    assert "マイナンバーカードなどによる本人確認が必要です。" in html
    assert "委任状" in html
    assert "「申請する方」で「代理人（委任状が必要です）」を選んだ場合に必要" in html
    assert "1通につき 300円" in html
    assert "その場で終わります（標準）。" in html
    assert "申請書で記入すること" in html and "使いみち" in html
    assert "内部メモ" not in html and "手数料条例" not in html  # the staff note


def test_branch_sections_are_in_the_residents_region(client, catalogue):
    html = text_of(client.get(reverse("procedures:public_detail", args=["tennyu-todoke"])))
    assert "お住まいの地域の総合支所 くみん窓口の窓口で申請できます。" in html
    assert "まちづくりセンターで職員と一緒に" not in html


def test_unknown_procedure_is_404(client, catalogue):
    assert client.get(reverse("procedures:public_detail", args=["no-such"])).status_code == 404


def test_public_pages_in_english(client, catalogue):
    client.cookies["django_language"] = "en"
    html = text_of(client.get(reverse("procedures:public_list"),
                              HTTP_ACCEPT_LANGUAGE="en"))
    assert "Child allowance (application for certification)" in html


# ── staff ──────────────────────────────────────────────────────────────────────────────


def test_catalogue_for_staff(staff_client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("procedures:catalogue"))
    html = text_of(response)
    assert "12件の手続き" in html and "第1版" in html
    assert "新しい手続きを作る" not in html


def test_detail_shows_everything_and_the_form_as_residents_see_it(staff_client, catalogue):
    html = text_of(staff_client.get(reverse("procedures:detail", args=["jido-teate-nintei"])))
    assert "公開中・第1版" in html
    assert "審査のチェックリスト" in html and "口座の名義が請求者本人であること" in html
    assert "児童手当 認定通知書" in html
    assert "区民が見る申請書" in html
    assert 'name="children-0-child_birth_date"' in html
    assert 'name="_add" value="children"' in html
    assert "data-show-when" in html
    assert "新しい版を作る" not in html  # not for district staff


def test_preview_checks_input_and_saves_nothing(staff_client, catalogue):
    url = reverse("procedures:preview", args=["kazei-shomei", 1])
    response = staff_client.post(url, {"person-family": "山田",
                                       "person_birth_date": "平成32年1月1日",
                                       "phone": "abc", "copies": "２０"})
    html = text_of(response)
    assert response.status_code == 200
    assert "まだ送信されていません" in html
    assert "平成は31年4月30日までです。令和2年1月1日のことでしたら" in html
    assert "通数は1通から10通までの数で入力してください。" in html
    assert 'id="id_phone_error"' in html
    assert 'value="山田"' in html  # nothing typed is lost


def test_preview_with_valid_input_shows_the_confirmation(staff_client, catalogue):
    url = reverse("procedures:preview", args=["kazei-shomei", 1])
    response = staff_client.post(url, {
        "person-family": "山田", "person-given": "太郎", "person-family_kana": "やまだ",
        "person-given_kana": "たろう", "person_birth_date": "S50.4.1",
        "current_address-postal_code": "1540017",
        "current_address-address": "世田谷区世田谷4-21-27", "phone": "0354321111",
        "fiscal_year": "2025", "copies": "2", "purpose": "nursery", "requester": "self",
        "confirm": "on"})
    html = text_of(response)
    assert "入力内容の確認" in html
    assert "山田 太郎（ヤマダ　タロウ）" in html
    assert "昭和50年（1975年）4月1日" in html
    assert "〒154-0017 世田谷区世田谷4-21-27" in html
    assert "2通" in html


def test_preview_adds_rows(staff_client, catalogue):
    url = reverse("procedures:preview", args=["jido-teate-nintei", 1])
    html = text_of(staff_client.post(url, {"children-rows": "1", "_add": "children",
                                           "children-0-child-family": "世田谷"}))
    assert 'name="children-1-child_birth_date"' in html
    assert 'value="世田谷"' in html
    assert "まだ送信されていません" not in html  # adding a row is not a submission


# ── administrators ─────────────────────────────────────────────────────────────────────


def editor_post(version: ProcedureVersion, **changes) -> dict:
    from madoguchi.procedures.forms import DefinitionForm

    data = DefinitionForm.initial_for(version)
    data = {k: v for k, v in data.items() if k != "code"}
    data.update(changes)
    return data


def test_admin_edits_previews_and_publishes(admin_client, catalogue):
    v1 = Procedure.objects.get(code="kazei-shomei").current
    url = reverse("procedures:edit", args=["kazei-shomei"])
    preview = admin_client.post(url, editor_post(v1, processing_days="１", _preview="1"))
    assert "定義に問題はありません" in text_of(preview)
    assert ProcedureVersion.objects.filter(procedure=v1.procedure).count() == 1
    saved = admin_client.post(url, editor_post(v1, processing_days="1",
                                               change_note="郵送の日数"))
    assert saved.status_code == 302
    assert saved["Location"] == reverse("procedures:version", args=["kazei-shomei", 2])
    detail = text_of(admin_client.get(reverse("procedures:detail", args=["kazei-shomei"])))
    assert "第2版（下書き）を公開する" in detail
    published = admin_client.post(reverse("procedures:publish", args=["kazei-shomei"]),
                                  follow=True)
    assert "第2版を公開しました。" in text_of(published)
    current = Procedure.objects.get(code="kazei-shomei").current
    assert (current.number, current.processing_days, current.change_note) == (2, 1, "郵送の日数")


def test_editor_errors_are_next_to_the_part_and_nothing_is_saved(admin_client, catalogue):
    v1 = Procedure.objects.get(code="kazei-shomei").current
    url = reverse("procedures:edit", args=["kazei-shomei"])
    form_yaml = editor_post(v1)["form"].replace("type: date", "type: dat", 1)
    html = text_of(admin_client.post(url, editor_post(
        v1, form=form_yaml, workflow="initial: received\nstatuses: [\n",
        processing_days="十日")))
    assert "定義に問題があります。保存されていません。" in html
    assert "種類「dat」は使えません" in html
    assert "行目" in html and "YAML（またはJSON）の書き方に誤りがあります" in html
    assert "標準処理期間は日数を数字で入力してください（例：10）。" in html
    assert ProcedureVersion.objects.filter(procedure=v1.procedure).count() == 1


def test_admin_creates_a_procedure(admin_client, catalogue):
    form = text_of(admin_client.get(reverse("procedures:create")))
    assert "applicant" in form  # the skeleton form
    v1 = Procedure.objects.get(code="kazei-shomei").current
    data = editor_post(v1, code="nozei-shomei", name="納税証明書の交付申請", section="nozei")
    response = admin_client.post(reverse("procedures:create"), data)
    assert response.status_code == 302
    procedure = Procedure.objects.get(code="nozei-shomei")
    assert procedure.current is None
    assert "未公開" in text_of(admin_client.get(reverse("procedures:catalogue")))
    taken = text_of(admin_client.post(reverse("procedures:create"), data))
    assert "手続きコード「nozei-shomei」はすでにあります。" in taken


def test_discard_from_the_page(admin_client, catalogue, admin):
    from madoguchi.procedures import services

    services.draft_save(by=admin, definition=Procedure.objects.get(
        code="jumin-hyo").current.definition())
    response = admin_client.post(reverse("procedures:discard", args=["jumin-hyo"]), follow=True)
    assert "下書きを取り消しました。" in text_of(response)
    nothing = admin_client.post(reverse("procedures:publish", args=["jumin-hyo"]), follow=True)
    assert "公開できませんでした。公開する下書きがありません。" in text_of(nothing)


def test_drafts_are_hidden_from_staff_who_do_not_manage(staff_client, catalogue, admin):
    from madoguchi.procedures import services

    services.draft_save(by=admin, definition=Procedure.objects.get(
        code="jumin-hyo").current.definition())
    assert staff_client.get(reverse("procedures:version", args=["jumin-hyo", 2])).status_code \
        == 404
    assert staff_client.get(reverse("procedures:version", args=["jumin-hyo", 1])).status_code \
        == 200


def test_lists_on_the_catalogue_page_never_end_in_a_comma(catalogue, client):
    """Optional attachments are left out of the list page's 「必要なもの」 without leaving a
    trailing 「、」 (and no list on the page ends in one)."""
    html = client.get("/procedures/").content.decode()
    assert "必要なもの" in html
    assert not re.search(r"、\s*</(dd|li|p|span)>", html)
