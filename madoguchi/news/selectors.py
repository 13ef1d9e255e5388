"""Reads of district news: the public lists and the staff's lists and delivery status."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import SECTION_ROLES, Action, can, own_district_ids, roles
from madoguchi.news.models import (
    DeliveryStatus,
    InboxMessage,
    LineAudience,
    LineAudienceChange,
    OutboxMessage,
    Post,
    PostStatus,
    Subscriber,
    SubscriberStatus,
)
from madoguchi.organisation.models import District

SECTION = SECTION_ROLES


def public_posts(district: District | None = None) -> QuerySet[Post]:
    """Published posts, newest first: a district's own and the ward-wide ones, or (no
    district) every published post."""
    found = Post.objects.filter(status=PostStatus.PUBLISHED).select_related(
        "district__region", "image")
    if district is not None:
        found = found.filter(Q(district=district) | Q(district__isnull=True))
    return found.order_by("-published_at", "-pk")


def public_post(public_id) -> Post | None:
    return Post.objects.select_related("district__region", "image").filter(
        public_id=public_id, status__in=[PostStatus.PUBLISHED, PostStatus.WITHDRAWN]).first()


def active_subscribers(district_id: int | None) -> QuerySet[Subscriber]:
    """The active subscribers of one district's news (``None``: of the ward-wide news):
    whom a notice for that district goes to (posts here, new events in participation)."""
    found = Subscriber.objects.filter(status=SubscriberStatus.ACTIVE)
    if district_id is None:
        return found.filter(district__isnull=True).order_by("pk")
    return found.filter(district_id=district_id).order_by("pk")


def _scope(user) -> Q:
    have = roles(user)
    if Role.WARD_ADMIN in have:
        return Q()
    scope = Q(district_id__in=own_district_ids(user))
    if have & SECTION:
        scope |= Q(district__isnull=True)
    return scope


def staff_posts(user) -> QuerySet[Post]:
    return (Post.objects.filter(_scope(user)).select_related("district", "created_by",
                                                             "published_by")
            .annotate(queued=Count("outbox", filter=Q(outbox__status=DeliveryStatus.QUEUED)),
                      delivered=Count("outbox",
                                      filter=Q(outbox__status=DeliveryStatus.DELIVERED)),
                      failed=Count("outbox", filter=Q(outbox__status=DeliveryStatus.FAILED)))
            .order_by("-updated_at", "-pk"))


def writable_districts(user) -> QuerySet[District]:
    if Role.WARD_ADMIN in roles(user):
        return District.objects.select_related("region").all()
    return District.objects.select_related("region").filter(pk__in=own_district_ids(user))


def may_write_ward(user) -> bool:
    return can(user, Action.NEWS_INQUIRIES)


def outbox(user) -> QuerySet[OutboxMessage]:
    """LINE messages of the posts the user sees, and (ward administrators) all."""
    found = OutboxMessage.objects.select_related("post__district")
    if Role.WARD_ADMIN not in roles(user):
        posts = Post.objects.filter(_scope(user)).values("pk")
        found = found.filter(post__in=posts)
    return found.order_by("-created_at", "-pk")


def outbox_counts(user) -> dict[str, int]:
    rows = outbox(user).order_by().values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def subscriber_counts(user) -> list[dict]:
    """Subscribers per district (None: ward-wide) and status, for the districts the user
    sees: counts only, no addresses."""
    found = Subscriber.objects.filter(_scope(user))
    rows = (found.order_by().values("district_id", "district__name", "status")
            .annotate(n=Count("pk")))
    table: dict[int | None, dict] = {}
    for row in rows:
        entry = table.setdefault(row["district_id"], {
            "district": row["district__name"], **dict.fromkeys(SubscriberStatus.values, 0)})
        entry[row["status"]] = row["n"]
    return sorted(table.values(), key=lambda e: (e["district"] is not None, e["district"] or ""))


def bounced(user) -> QuerySet[Subscriber]:
    """Subscribers suspended because their address bounced (personal data: audited)."""
    return (Subscriber.objects.filter(_scope(user), status=SubscriberStatus.BOUNCED)
            .select_related("district", "bounce_post").order_by("-bounced_at"))


def audiences(user) -> list[tuple[District, int | None]]:
    """The districts whose LINE audience the user may set (their centre's; every
    district for ward administrators), each with its audience id or None."""
    districts = list(writable_districts(user).order_by("region__sort_order", "sort_order",
                                                       "code"))
    ids = dict(LineAudience.objects.filter(district__in=[d.pk for d in districts])
               .values_list("district_id", "audience_group_id"))
    return [(district, ids.get(district.pk)) for district in districts]


def audience_changes(district: District) -> QuerySet[LineAudienceChange]:
    return (LineAudienceChange.objects.filter(district=district)
            .select_related("changed_by").order_by("-changed_at", "-pk"))


def may_read_inbox(user) -> bool:
    """LINE messages come to the ward's one account, not a district's: ward
    administrators and section staff read the ones nobody took."""
    return can(user, Action.NEWS_INQUIRIES)


def inquiries(user) -> QuerySet[InboxMessage]:
    """LINE messages no inbox handler took (inquiries for staff), newest first; the
    sender's LINE user id is not read."""
    if not may_read_inbox(user):
        return InboxMessage.objects.none()
    return (InboxMessage.objects.filter(handled_by=[]).only("pk", "text", "sent_at",
                                                              "received_at")
            .order_by("-received_at", "-pk"))
