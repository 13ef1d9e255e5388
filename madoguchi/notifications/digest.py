"""The daily digest (ADR 0054): notices that are neither confirmations nor reminders are
collected per address and sent as at most one mail per address per day.

An owner registers a **digest item kind** in its ``AppConfig.ready`` (``register_item``:
a name and a function that, in the worker, turns the item's ids into a few lines of text,
or raises ``Skip`` when the notice no longer holds), then calls ``collect`` inside its own
transaction instead of ``notify``. The daily task (``tasks.send_digests``) claims one
``DigestSend`` row per address and day (a unique constraint) and hands it to the notifier's
own kind ``notifications_digest``: a rerun of the task finds the row and sends nothing, a
rerun of the delivery is kept to one send by ``effects.once`` (ADR 0025).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from madoguchi.notifications import stops
from madoguchi.notifications.models import DIGEST, DigestItem, DigestSend, Mailbox, MailStop
from madoguchi.notifications.notify import About, Letter, Recipient, Skip, notify, register

logger = logging.getLogger("madoguchi.notifications")

KIND = "notifications_digest"
# An address with no stop and nothing waiting is forgotten this long after its last digest
# (or its first mail): the notifier keeps no address it no longer needs (ADR 0009).
KEEP = dt.timedelta(days=90)


@dataclass(frozen=True)
class ItemKind:
    name: str
    line: Callable[[About], str]
    refused: Callable[[About], object] | None = None


_items: dict[str, ItemKind] = {}


def register_item(name: str, line: Callable[[About], str], *,
                  refused: Callable[[About], object] | None = None) -> None:
    """Register the digest item kind ``name``: ``line(about)`` gives its text in the
    digest (raise ``Skip`` to leave it out); ``refused(about)`` records a bounce."""
    kind = ItemKind(name, line, refused)
    if _items.get(name, kind) != kind:
        raise ValueError(f"digest item kind {name!r} is registered already")
    _items[name] = kind


def collect(kind: str, *, address: str, about: About, language: str = "ja") -> bool:
    """Keep a notice for ``address``'s next digest (in the caller's transaction). Whether
    it was kept: not for an empty address or one that stopped the digest."""
    if kind not in _items:
        raise LookupError(f"no digest item kind {kind!r} is registered")
    if not stops.normal(address) or stops.stopped(address):
        return False
    DigestItem.objects.create(mailbox=stops.mailbox_for(address, language=language),
                              kind=kind, about=dict(about))
    return True


def collect_many(kind: str, rows: Iterable[tuple[str, About, str]]) -> int:
    """``collect`` for many addresses at once (a post to a district's subscribers): rows
    of (address, about, language), in a few queries whatever their number. The count kept."""
    if kind not in _items:
        raise LookupError(f"no digest item kind {kind!r} is registered")
    wanted = [(stops.normal(address), dict(about), language)
              for address, about, language in rows if stops.normal(address)]
    if not wanted:
        return 0
    Mailbox.objects.bulk_create([Mailbox(address=address, language=language)
                                 for address, _, language in wanted], ignore_conflicts=True)
    ids = dict(Mailbox.objects.filter(address__in={row[0] for row in wanted})
               .exclude(stops__scope=DIGEST).values_list("address", "pk"))
    items = [DigestItem(mailbox_id=ids[address], kind=kind, about=about)
             for address, about, _ in wanted if address in ids]
    DigestItem.objects.bulk_create(items, batch_size=500)
    return len(items)


def send_due(*, now: dt.datetime | None = None) -> int:
    """Claim today's digest of every address with waiting notices and queue it; an
    address whose digest of today is claimed already waits for tomorrow. The count queued."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    waiting = (Mailbox.objects.filter(items__send__isnull=True, items__created_at__lte=now)
               .exclude(stops__scope=DIGEST).exclude(digests__day=day)
               .distinct().values_list("pk", flat=True))
    queued = 0
    for mailbox_id in list(waiting):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    send = DigestSend.objects.create(mailbox_id=mailbox_id, day=day)
            except IntegrityError:
                continue  # another run claimed it
            DigestItem.objects.filter(mailbox_id=mailbox_id, send__isnull=True,
                                      created_at__lte=now).update(send=send)
            notify(KIND, about={"send": send.pk})
            queued += 1
    logger.info("digest: %d queued for %s", queued, day)
    return queued


def forget_idle(*, now: dt.datetime | None = None) -> int:
    """Delete the addresses kept only for past mail (no stop, nothing waiting, no digest
    and no first mail within ``KEEP``); a stop link in an old mail then says it is old."""
    since = (now or timezone.now()) - KEEP
    waiting = DigestItem.objects.filter(mailbox=OuterRef("pk"), send__isnull=True)
    recent = DigestSend.objects.filter(mailbox=OuterRef("pk"), created_at__gte=since)
    stopped = MailStop.objects.filter(mailbox=OuterRef("pk"))
    idle = Mailbox.objects.filter(created_at__lt=since).exclude(
        Exists(waiting) | Exists(recent) | Exists(stopped))
    return idle.delete()[1].get(Mailbox._meta.label, 0)


def _letters(about: About, secret: str | None) -> Iterator[Letter]:
    send = DigestSend.objects.select_related("mailbox").filter(pk=int(about["send"])).first()
    if send is None:
        raise Skip("gone")
    if MailStop.objects.filter(mailbox_id=send.mailbox_id, scope=DIGEST).exists():
        raise Skip("stopped")
    lines, kept = [], []
    for item in send.items.order_by("created_at", "pk"):
        kind = _items.get(item.kind)
        if kind is None:
            continue
        try:
            lines.append(kind.line(item.about).strip())
        except Skip:
            continue
        kept.append((kind, item.about))

    def refused() -> None:
        for kind, item_about in kept:
            if kind.refused is not None:
                kind.refused(item_about)

    if not lines:
        raise Skip("nothing left")
    mailbox = send.mailbox
    yield Letter(recipient=Recipient(address=mailbox.address, language=mailbox.language),
                 context={"lines": lines, "day": send.day}, part=send.pk, refused=refused)


def line(template: str, context: dict) -> str:
    """A digest line from the owner's template (autoescape off, as the mails)."""
    return render_to_string(template, context)


def register_kind() -> None:
    register(KIND, _letters, unsubscribe=DIGEST)
