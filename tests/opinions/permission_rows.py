"""Rows of the permission matrix for public comment and surveys: the residents' pages and
the staff's (a ward-wide consultation and survey, made by the 池尻 centre's staff)."""

from __future__ import annotations

import datetime as dt

from madoguchi.accounts.models import Role

D, S, M, P, A, U = (Role.DISTRICT_STAFF, Role.SECTION_STAFF, Role.SECTION_MANAGER,
                    Role.PARTNER_STAFF, Role.WARD_ADMIN, Role.AUDITOR)
STAFF = (D, S, M, P, A, U)
MANAGERS = (D, S, M, A)
PUBLIC = dict.fromkeys(("anonymous", *STAFF), 200)


def only(roles, ok: int, **others: int) -> dict[str, int]:
    found = dict.fromkeys(("anonymous", *STAFF), 403)
    found["anonymous"] = 302
    found.update(dict.fromkeys(roles, ok))
    found.update(others)
    return found


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "pubcom:index": ("get", PUBLIC),
    "pubcom:consultation": ("get", PUBLIC),
    "pubcom:thanks": ("get", PUBLIC),
    "pubcom:document": ("get", dict.fromkeys(("anonymous", *STAFF), 404)),  # no document
    "pubcom:result": ("get", PUBLIC),  # a second consultation, its result published
    "pubcom:result_pdf": ("get", PUBLIC),  # the same, as a PDF
    "pubcom:survey": ("get", PUBLIC),
    "opinions:list": ("get", only(MANAGERS, 200)),
    "opinions:create": ("get", only(MANAGERS, 200)),
    "opinions:detail": ("get", only(MANAGERS, 200)),
    # Already open: opening again is refused with the reason.
    "opinions:open": ("post", only(MANAGERS, 409)),
    "opinions:document_add": ("post", only(MANAGERS, 400)),  # no file
    "opinions:category_add": ("post", only(MANAGERS, 409)),  # no name
    # The first manager removes the unused category; the others find it gone.
    # District staff remove it; 池尻's centre head, probed after them, finds it gone.
    "opinions:category_remove": ("post", only(MANAGERS, 404, district_staff=302,
                                              centre_head=404)),
    "opinions:enter": ("get", only(MANAGERS, 200)),
    "opinions:opinion": ("get", only(MANAGERS, 200)),
    "opinions:original": ("get", only(MANAGERS, 404)),  # typed from the web: no scan
    "opinions:item_sort": ("post", only(MANAGERS, 302)),
    "opinions:item_remove": ("post", only(MANAGERS, 404, district_staff=302,
                                          centre_head=404)),
    "opinions:sorting": ("get", only(MANAGERS, 200)),
    "opinions:group": ("get", only(MANAGERS, 200)),
    "opinions:tally": ("get", only(MANAGERS, 200)),
    "opinions:tally_csv": ("get", only(MANAGERS, 200)),
    "opinions:tally_pdf": ("get", only(MANAGERS, 200)),
    "opinions:publish": ("post", only(MANAGERS, 409)),  # the period is not over
    "opinions:surveys": ("get", only(MANAGERS, 200)),
    "opinions:survey_create": ("get", only(MANAGERS, 200)),
    "opinions:survey": ("get", only(MANAGERS, 200)),
    "opinions:survey_csv": ("get", only(MANAGERS, 200)),
}


def objects(staff) -> dict[str, dict]:
    import uuid

    from django.utils import timezone

    from madoguchi.opinions import services
    from madoguchi.opinions.models import Channel

    today = timezone.localdate()
    consultation = services.consultation_create(by=staff[D], data={
        "title": "計画（素案）", "summary": "案の概要", "send_to": "地域行政課",
        "district": None, "starts_on": today - dt.timedelta(days=1),
        "ends_on": today + dt.timedelta(days=5)})
    consultation = services.consultation_open(by=staff[D], consultation=consultation)
    opinion = services.opinion_submit(consultation=consultation, submission_key=uuid.uuid4(),
                                      text="意見", channel=Channel.WEB).opinion
    item = services.item_add(by=staff[D], opinion=opinion, text="項目")
    spare = services.item_add(by=staff[D], opinion=opinion, text="別の項目")
    sorted_item = services.item_add(by=staff[D], opinion=opinion, text="まとめた項目",
                                    category=consultation.categories.first())
    group = services.items_group(by=staff[D], consultation=consultation, items=[sorted_item],
                                 summary="概要")
    unused = services.category_add(by=staff[D], consultation=consultation, name="未使用")
    survey = services.survey_create(by=staff[D], data={
        "title": "アンケート", "form": {"sections": [{"title": "設問", "title_en": "Questions",
                                                      "fields": [
            {"name": "q", "type": "textarea", "label": "ご感想", "label_en": "Comments"}]}]},
        "starts_on": today, "ends_on": today})
    c = {"consultation": consultation.public_id}
    done = published(staff[D])
    return {
        "pubcom:consultation": c, "pubcom:thanks": {**c, "number": opinion.number},
        "pubcom:document": {**c, "document": 1}, "pubcom:result": {"consultation": done.public_id},
        "pubcom:result_pdf": {"consultation": done.public_id},
        "pubcom:survey": {"survey": survey.public_id},
        **{f"opinions:{name}": c for name in (
            "detail", "open", "document_add", "category_add", "enter", "sorting", "tally",
            "tally_csv", "tally_pdf", "publish")},
        "opinions:category_remove": {**c, "category": unused.pk},
        "opinions:opinion": {**c, "opinion": opinion.public_id},
        "opinions:original": {**c, "opinion": opinion.public_id},
        "opinions:item_sort": {**c, "item": item.pk},
        "opinions:item_remove": {**c, "item": spare.pk},
        "opinions:group": {**c, "group": group.pk},
        "opinions:survey": {"survey": survey.public_id},
        "opinions:survey_csv": {"survey": survey.public_id},
    }


def published(by):
    """A consultation whose period has ended and whose result is published."""
    import uuid

    from django.utils import timezone

    from madoguchi.opinions import services
    from madoguchi.opinions.models import Consultation

    today = timezone.localdate()
    consultation = services.consultation_open(by=by, consultation=services.consultation_create(
        by=by, data={"title": "結果を公表した案", "summary": "概要", "send_to": "地域行政課",
                     "district": None, "starts_on": today - dt.timedelta(days=3),
                     "ends_on": today}))
    opinion = services.opinion_submit(consultation=consultation, submission_key=uuid.uuid4(),
                                      text="意見の本文", name="意見 太郎").opinion
    item = services.item_add(by=by, opinion=opinion, text="意見の本文",
                             category=consultation.categories.first())
    group = services.items_group(by=by, consultation=consultation, items=[item])
    services.group_answer(by=by, group=group, summary="意見の概要", answer="区の考え方")
    Consultation.objects.filter(pk=consultation.pk).update(
        ends_on=today - dt.timedelta(days=1), starts_on=today - dt.timedelta(days=3))
    consultation.refresh_from_db()
    return services.result_publish(by=by, consultation=consultation)
