"""News rows of the permission matrix (tests/test_permission_matrix.py).

The public list, a post, the feeds and the newsletter pages are public; the LINE webhook
refuses a call without a valid signature (403) whoever sends it. Staff pages: centre staff
(D, 池尻) and ward administrators (A) see 池尻's posts; section staff and managers (S, M)
write ward-wide posts only, so they may open the pages but not 池尻's post (403); partner
staff and auditors have no news pages.
"""

from __future__ import annotations

ANON, D, S, M, P, A, U = ("anonymous", "district_staff", "section_staff", "section_manager",
                          "partner_staff", "ward_admin", "auditor")
EVERYONE = (ANON, D, S, M, P, A, U)
WRITERS = (D, S, M, A)


def _table(ok: int, allowed, *, denied: int = 403, anon: int = 302) -> dict[str, int]:
    table = dict.fromkeys(EVERYONE, denied)
    table[ANON] = anon
    table.update(dict.fromkeys(allowed, ok))
    return table


PUBLIC = dict.fromkeys(EVERYONE, 200)

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "news:index": ("get", PUBLIC),
    "news:district": ("get", PUBLIC),
    "news:post": ("get", PUBLIC),
    "news:image": ("get", dict.fromkeys(EVERYONE, 404)),  # the post has no image
    "news:rss": ("get", PUBLIC),
    "news:atom": ("get", PUBLIC),
    "news:district_rss": ("get", PUBLIC),
    "news:district_atom": ("get", PUBLIC),
    "news:subscribe": ("post", PUBLIC),  # the form comes back with its error
    "news:confirm": ("get", PUBLIC),  # asks to confirm with a button
    "news:unsubscribe": ("get", PUBLIC),  # asks to confirm with a button
    "news:line_webhook": ("post", dict.fromkeys(EVERYONE, 403)),  # no signature
    "news:staff_list": ("get", _table(200, WRITERS)),
    "news:create": ("get", _table(200, WRITERS)),
    "news:staff_post": ("get", _table(200, (D, A))),
    "news:edit": ("get", _table(200, (D, A))),
    "news:step": ("post", _table(302, WRITERS)),  # refused by the service, back to the post
    "news:delivery": ("get", _table(200, WRITERS)),
    "news:outbox_retry": ("post", _table(302, WRITERS)),  # not failed: refused, back
    # A district's LINE audience: those who publish its posts (its centre, ward admins);
    # section managers publish ward-wide posts only.
    "news:line_audiences": ("get", _table(200, (D, M, A))),
    "news:line_audience": ("get", _table(200, (D, A))),
    "news:inquiries": ("get", _table(200, WRITERS)),  # the rows: section staff and admins
}


def objects(staff) -> dict[str, dict]:
    from madoguchi.news import services
    from madoguchi.news.models import OutboxMessage
    from madoguchi.organisation.models import District

    ikejiri = District.objects.get(region__code="setagaya", code="ikejiri")
    data = services.PostInput(title="池尻の清掃活動", body="日曜日に清掃活動をします。")
    post = services.post_save(by=staff[D], data=data, district=ikejiri, ward_wide=False)
    services.post_submit(post=post, by=staff[D])
    services.post_publish(post=post, by=staff[A], origin="http://testserver/")
    draft = services.post_save(by=staff[D], data=data, district=ikejiri, ward_wide=False)
    message = services.outbox_enqueue(kind="broadcast", target="", text="テスト")
    OutboxMessage.objects.filter(pk=message.pk).update(status="delivered")
    return {
        "news:post": {"post": post.public_id},
        "news:image": {"post": post.public_id},
        "news:district": {"region": "setagaya", "code": "ikejiri"},
        "news:district_rss": {"region": "setagaya", "code": "ikejiri"},
        "news:district_atom": {"region": "setagaya", "code": "ikejiri"},
        "news:confirm": {"token": "x"},
        "news:unsubscribe": {"token": "x"},
        "news:staff_post": {"pk": post.pk},
        "news:edit": {"pk": draft.pk},
        "news:step": {"pk": post.pk, "step": "submit"},
        "news:outbox_retry": {"pk": message.pk},
        "news:line_audience": {"district": ikejiri.pk},
    }
