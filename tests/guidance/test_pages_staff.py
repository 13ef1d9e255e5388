"""Staff pages of the guidance context: "who handles what" from every page's header, the
knowledge base's edit / review / publish cycle, synonyms and the learning loop."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.guidance import services
from madoguchi.guidance.models import Entry, EntryStatus, QueryLog, QueryReason, Synonym
from tests.conftest import ROLE_UNITS
from tests.guidance.engine_world import small_kb  # noqa: F401 - fixture
from tests.helpers import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_kb")]

D, S, M, P, A, U = (Role.DISTRICT_STAFF, Role.SECTION_STAFF, Role.SECTION_MANAGER,
                    Role.PARTNER_STAFF, Role.WARD_ADMIN, Role.AUDITOR)


@pytest.fixture
def clients(make_staff):
    """One logged-in client per role (units as in the permission matrix)."""
    return {role: login(Client(), make_staff(role, unit)) for role, unit in ROLE_UNITS.items()}


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def results(response) -> str:
    """The residents' page below its question box."""
    return page(response).partition('id="guide-results"')[2]


def top_section(response) -> str:
    html = results(response)
    return html.split('class="card__title">')[1].split("</h3>")[0] if "card__title" in html else ""


def new_entry(client, **fields):
    data = {"section_kind": "hoken-fukushi", "question": "車いすを借りたい",
            "answer": "まちづくりセンターで車いすを貸し出しています。",
            "keywords": "車いす\n貸し出し", "procedure_codes": "", **fields}
    return client.post("/guidance/entries/new/", data)


# ------------------------------------------------------------------------- who handles what


@pytest.mark.parametrize("role", [D, S, M, P, A, U])
def test_every_staff_page_has_the_who_handles_what_box(clients, role):
    html = page(clients[role].get("/accounts/home/"))
    assert 'class="staff-search" role="search"' in html
    assert '<label for="staff-guide-q" class="visually-hidden">' in html
    assert 'action="/guidance/"' in html and 'method="post"' in html


def test_residents_do_not_get_the_staff_box():
    assert "staff-search" not in page(Client().get("/guide/"))


def test_the_header_search_ranks_sections_with_reason_and_office(clients):
    html = page(clients[D].post("/guidance/", {"guide_q": "国保に入りたい"}))  # the header's box
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert "国保・年金課" in first_row and "この課・機関の案内に一致しました" in first_row
    # 池尻's centre staff: the district is their own, so online consultation is shown.
    assert "池尻まちづくりセンターから可" in first_row
    assert "会社を辞めたら国民健康保険に入る手続きは必要ですか" in html
    assert "国民健康保険の加入届" in html and "kokuho-kanyu" in html


def test_staff_results_show_drafts_marked_and_link_writers_to_entries(clients):
    html = page(clients[D].post("/guidance/", {"q": "防災訓練に参加したい"}))
    draft = html.split("防災訓練に参加したい</span>")[1].split("</h3>")[0]
    assert "下書き" in draft and "badge--warning" in draft
    assert 'href="/guidance/entries/draft-bosai/"' in html
    html = page(clients[A].post("/guidance/", {"q": "国保に入りたい"}))
    assert 'href="/guidance/entries/kokuho-kanyu/"' in html
    html = page(clients[U].post("/guidance/", {"q": "国保に入りたい"}))
    assert "/guidance/entries/" not in html  # auditors read, they do not edit


def test_staff_search_bad_input_is_a_message(clients):
    html = page(clients[S].post("/guidance/", {"q": "<b>🙏</b>"}))
    assert 'role="alert"' in html and "<b>🙏</b>" not in html


# ------------------------------------------------------------------------ the edit cycle


def test_a_draft_goes_through_review_to_residents(clients):
    response = new_entry(clients[S])
    entry = Entry.objects.get(question="車いすを借りたい")
    assert response.status_code == 302
    assert response["Location"] == f"/guidance/entries/{entry.code}/"
    assert entry.status == EntryStatus.DRAFT and entry.keywords == ["車いす", "貸し出し"]
    assert entry.code.startswith("hoken-fukushi-")
    resident = Client()
    faq = "車いすを借りたい</span></summary>"
    assert faq not in results(resident.post("/guide/", {"q": "車いすを借りたい"}))

    html = page(clients[S].get(f"/guidance/entries/{entry.code}/"))
    assert 'value="review"' in html and 'value="published"' not in html
    clients[S].post(f"/guidance/entries/{entry.code}/status/", {"to": "review"})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REVIEW

    html = page(clients[M].get(f"/guidance/entries/{entry.code}/"))
    assert 'value="published"' in html
    clients[M].post(f"/guidance/entries/{entry.code}/status/", {"to": "published"})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED and entry.reviewed_on == timezone.localdate()
    assert faq in results(resident.post("/guide/", {"q": "車いすを借りたい"}))
    history = [(c.from_status, c.to_status) for c in entry.status_changes.all()]
    assert history == [("", "draft"), ("draft", "review"), ("review", "published")]


def test_only_publishers_change_a_published_entry(clients):
    entry = Entry.objects.get(code="kaigo-nintei")  # 保健福祉課, published
    edit = f"/guidance/entries/{entry.code}/edit/"
    assert clients[S].get(edit).status_code == 403
    assert clients[D].get(edit).status_code == 403
    html = page(clients[S].get(f"/guidance/entries/{entry.code}/"))
    assert "公開中の回答を変更できるのは" in html and "内容を変更する" not in html
    response = clients[M].post(edit, {
        "section_kind": "hoken-fukushi", "question": entry.question,
        "answer": "要介護認定の申請は、保健福祉課・あんしんすこやかセンターで受け付けます。",
        "keywords": "介護\n要介護認定", "procedure_codes": "kaigo-nintei"})
    assert response.status_code == 302
    html = results(Client().post("/guide/", {"q": "親の介護が必要になりました"}))
    assert "あんしんすこやかセンターで受け付けます" in html


def test_section_staff_write_only_for_their_own_section_kind(clients):
    response = new_entry(clients[S], section_kind="kazei", question="税の証明がほしい")
    assert response.status_code == 200
    assert "field__error" in response.content.decode()
    assert not Entry.objects.filter(question="税の証明がほしい").exists()
    # Centre staff draft for any section; the section reviews.
    assert new_entry(clients[D], section_kind="kazei", question="税の証明がほしい"
                     ).status_code == 302


def test_managers_publish_only_their_own_section_kind(clients):
    entry = services.entry_create(code="kazei-draft", section_kind=Entry.objects.get(
        code="kazei-shomei").section_kind, question="税の証明", answer="課税課へ", by=None,
        status=EntryStatus.REVIEW)
    html = page(clients[M].get(f"/guidance/entries/{entry.code}/"))
    assert 'value="published"' not in html
    response = clients[M].post(f"/guidance/entries/{entry.code}/status/", {"to": "published"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REVIEW
    clients[A].post(f"/guidance/entries/{entry.code}/status/", {"to": "published"})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED


def test_sending_back_to_draft_keeps_the_reason_in_the_history(clients):
    response = new_entry(clients[S])
    code = response["Location"].rstrip("/").rsplit("/", 1)[1]
    clients[S].post(f"/guidance/entries/{code}/status/", {"to": "review"})
    clients[M].post(f"/guidance/entries/{code}/status/",
                    {"to": "draft", "note": "貸し出しの条件を書いてください"})
    entry = Entry.objects.get(code=code)
    assert entry.status == EntryStatus.DRAFT
    html = page(clients[S].get(f"/guidance/entries/{code}/"))
    assert "貸し出しの条件を書いてください" in html.split("kb-history")[1]


def test_mark_reviewed_keeps_the_entry_published_with_todays_date(clients):
    entry = Entry.objects.get(code="kaigo-nintei")
    Entry.objects.filter(pk=entry.pk).update(reviewed_on="2024-04-01")
    clients[M].post(f"/guidance/entries/{entry.code}/status/", {"to": "reviewed"})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED and entry.reviewed_on == timezone.localdate()
    last = entry.status_changes.order_by("-pk").first()
    assert (last.from_status, last.to_status) == ("published", "published")
    assert last.by.memberships.get().role == M and last.note


def test_service_validation_shows_next_to_the_field(clients):
    response = new_entry(clients[S], procedure_codes="Not A Code")
    html = page(response)
    assert "手続のコードが正しくありません" in html and 'id="error-summary"' in html


def test_the_list_filters_by_section_status_and_words(clients):
    html = page(clients[A].get("/guidance/entries/?section=kokuho-nenkin"))
    assert "国民年金の保険料が払えません" in html and "住民票の写しがほしい" not in html
    html = page(clients[A].get("/guidance/entries/?status=draft"))
    assert "防災訓練に参加したい" in html and "住民票の写しがほしい" not in html
    html = page(clients[A].post("/guidance/entries/", {"q": "住民票"}))
    assert "住民票の写しがほしい" in html and "国民年金" not in html


def test_the_list_is_read_in_few_queries(clients, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        clients[A].get("/guidance/entries/")


# --------------------------------------------------------------------------- synonyms


def test_ward_admins_edit_synonyms_and_search_follows(clients):
    resident = Client()
    question = {"q": "託児所に預けたい"}
    assert "保育課" not in top_section(resident.post("/guide/", question))
    synonym = Synonym.objects.get(canonical="保育園")
    html = page(clients[A].get(f"/guidance/synonyms/{synonym.pk}/"))
    assert "daycare\nnursery</textarea>" in html
    response = clients[A].post(f"/guidance/synonyms/{synonym.pk}/", {
        "canonical": "保育園", "variants": "daycare\nnursery\n託児所、たくじしょ", "note": ""})
    assert response.status_code == 302
    synonym.refresh_from_db()
    assert synonym.variants == ["daycare", "nursery", "託児所", "たくじしょ"]
    # Questions use the change at once (the index is rebuilt by the worker: test_engine).
    assert "保育課" in top_section(resident.post("/guide/", question))
    assert "託児所" in page(clients[A].get("/guidance/synonyms/"))
    clients[A].post(f"/guidance/synonyms/{synonym.pk}/delete/")
    assert not Synonym.objects.filter(pk=synonym.pk).exists()
    assert "保育課" not in top_section(resident.post("/guide/", question))


def test_a_canonical_term_is_not_registered_twice(clients):
    html = page(clients[A].post("/guidance/synonyms/new/", {"canonical": "保育園",
                                                             "variants": "託児所"}))
    assert 'id="error-summary"' in html
    assert Synonym.objects.filter(canonical="保育園").count() == 1


def test_a_synonym_without_variants_is_refused_with_a_message(clients):
    html = page(clients[A].post("/guidance/synonyms/new/", {"canonical": "国保",
                                                             "variants": "  "}))
    assert 'id="error-summary"' in html


# ---------------------------------------------------------------------- learning loop


def test_the_learning_loop_groups_questions_by_frequency(clients):
    for _ in range(3):
        services.query_log_record(text="ペットの登録をしたい", reason=QueryReason.NO_ANSWER)
    services.query_log_record(text="粗大ごみを出したい", reason=QueryReason.NO_ANSWER)
    entry = Entry.objects.get(code="hoiku")
    services.feedback_record(entry=entry, helpful=False, query="粗大ごみを出したい")
    html = page(clients[S].get("/guidance/learning/"))
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")
    assert "ペットの登録をしたい" in rows[0] and ">3<" in rows[0]
    assert "粗大ごみを出したい" in rows[1] and "役に立たなかった 1" in rows[1]
    assert "保育園に子どもを入れたい" in html.split("<tbody>")[2]


def test_a_handled_question_leaves_the_list(clients):
    for _ in range(2):
        services.query_log_record(text="ペットの登録をしたい", reason=QueryReason.NO_ANSWER)
    response = clients[S].post("/guidance/learning/dismiss/", {"text": "ペットの登録をしたい"})
    assert response.status_code == 302
    assert not QueryLog.objects.exists()
    assert "ペットの登録をしたい" not in page(clients[S].get("/guidance/learning/"))
    assert clients[P].post("/guidance/learning/dismiss/", {"text": "x"}).status_code == 403


def test_create_an_entry_from_a_logged_question(clients):
    log = services.query_log_record(text="ペットの登録をしたい", reason=QueryReason.NO_ANSWER)
    html = page(clients[D].get(f"/guidance/entries/new/?from={log.pk}"))
    assert ">\nペットの登録をしたい</textarea>" in html or 'value="ペットの登録をしたい"' in html
    assert QueryLog.objects.count() == 1
