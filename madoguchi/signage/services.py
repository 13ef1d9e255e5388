"""Writes of signage: items (create, approve, refuse, withdraw), screens and their keys,
the players' heartbeats and proof of play (ADR 0043). Emergency messages: ``emergency``.

Every write checks first (input, permission, files) and then writes in one transaction;
the players hear of a change after it commits (``live``).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.accounts.policy import Action, can
from madoguchi.core.tokens import digest
from madoguchi.files import services as files
from madoguchi.files.policy import JPEG, MP4, PDF, PNG, WEBM
from madoguchi.organisation.models import DistrictCentre, Region
from madoguchi.signage import live
from madoguchi.signage.access import Targets
from madoguchi.signage.errors import SignageRefused
from madoguchi.signage.models import (
    DAYPARTS,
    MEDIA_KINDS,
    Item,
    Kind,
    Play,
    Screen,
    ScreenKey,
    Status,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from madoguchi.accounts.models import User
    from madoguchi.files.models import StoredFile

log = logging.getLogger(__name__)

PURPOSE = "signage"
SESSION_SCREEN = "signage.screen"  # the screen's key, in the player's session
NOT_APPROVER = gettext_lazy(
    "この掲示物を承認する権限がありません（作成した人は承認できません）。")
KEY_BYTES = 32
KIND_TYPES = {Kind.IMAGE: (JPEG, PNG), Kind.VIDEO: (MP4, WEBM), Kind.PDF: (PDF,)}
MAX_DAYS = 366  # an item is shown at most a year
MIN_SECONDS, MAX_SECONDS = 5, 300
RENDER_WIDTH = 1920  # pixels of a PDF page's image
PLAYS_PER_HEARTBEAT = 500
PLAY_HORIZON = dt.timedelta(hours=48)  # plays reported later than this are not believed
SCREEN_UNKNOWN = gettext_lazy("この画面は使えません。")  # the neutral page


@dataclass
class ItemInput:
    kind: str
    title: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    body: str = ""
    large: bool = False
    qr_url: str = ""
    seconds: int = 15
    pdf_page: int = 1
    weekdays: list[int] = field(default_factory=lambda: list(range(7)))
    dayparts: list[str] = field(default_factory=list)
    ward_wide: bool = False
    regions: list[Region] = field(default_factory=list)
    centres: list[DistrictCentre] = field(default_factory=list)
    screens: list[Screen] = field(default_factory=list)


def targets_for(data: ItemInput, *, author: User | None = None) -> Targets:
    districts = [c.district for c in data.centres] + [s.centre.district for s in data.screens]
    return Targets(ward_wide=data.ward_wide,
                   region_ids=frozenset(r.pk for r in data.regions),
                   district_ids=frozenset(d.pk for d in districts),
                   district_region_ids=frozenset(d.region_id for d in districts),
                   author_id=author.pk if author is not None else None)


def _validate(data: ItemInput, upload: UploadedFile | None) -> None:
    """Every rule about the input, as one ValidationError of field messages."""
    errors: dict[str, str] = {}
    if data.kind not in Kind.values:
        errors["kind"] = _("種類を選んでください。")
    if not data.title.strip():
        errors["title"] = _("題名を入力してください。")
    elif len(data.title) > 80:
        errors["title"] = _("題名は80文字以内で入力してください。")
    if len(data.body) > 400:
        errors["body"] = _("本文は400文字以内で入力してください。")
    if data.starts_at is None:
        errors["starts_at"] = _("掲載開始の日時を入力してください。")
    if data.ends_at is None:
        errors["ends_at"] = _("掲載終了の日時を入力してください。")
    if data.starts_at and data.ends_at:
        if data.ends_at <= data.starts_at:
            errors["ends_at"] = _("掲載終了は掲載開始より後の日時にしてください。")
        elif data.ends_at - data.starts_at > dt.timedelta(days=MAX_DAYS):
            errors["ends_at"] = _("掲載期間は1年以内にしてください。")
        elif data.ends_at <= timezone.now():
            errors["ends_at"] = _("掲載終了がすでに過ぎています。")
    if not MIN_SECONDS <= data.seconds <= MAX_SECONDS:
        errors["seconds"] = _("表示秒数は5秒から300秒のあいだで入力してください。")
    if not data.weekdays or not set(data.weekdays) <= set(range(7)):
        errors["weekdays"] = _("表示する曜日を一つ以上選んでください。")
    if not set(data.dayparts) <= {code for code, *_rest in DAYPARTS}:
        errors["dayparts"] = _("時間帯を選びなおしてください。")
    if targets_for(data).empty:
        errors["targets"] = _("表示先（画面・センター・地域・区全体）を一つ以上選んでください。")
    if data.kind in MEDIA_KINDS and upload is None:
        errors["file"] = _("この種類ではファイルを選んでください。")
    if data.kind == Kind.NOTICE and not data.body.strip():
        errors["body"] = _("お知らせの本文を入力してください。")
    if data.qr_url and not data.qr_url.startswith(("https://", "http://")):
        errors["qr_url"] = _("QRコードの行き先は http:// または https:// で始まるアドレスにして"
                             "ください。")
    if data.kind == Kind.PDF and not 1 <= data.pdf_page <= 999:
        errors["pdf_page"] = _("PDFのページ番号を入力してください。")
    if errors:
        raise ValidationError(errors)


def _render_pdf_page(plain: bytes, page: int) -> bytes:
    """One page of a PDF as a PNG 1920 pixels wide (PDFium, from PyPI: no system
    program)."""
    import io

    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(plain)
    except pypdfium2.PdfiumError:
        raise ValidationError({"file": _("このPDFは読めません。別のファイルでお試しください。")}) \
            from None
    try:
        if not 1 <= page <= len(document):
            raise ValidationError({"pdf_page": _("このPDFは %(count)s ページまでです。ページ番号を"
                                                 "確かめてください。") % {"count": len(document)}})
        one = document[page - 1]
        width = one.get_width() or 1
        image = one.render(scale=min(RENDER_WIDTH / width, 8)).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG")
    except pypdfium2.PdfiumError:
        log.error("signage pdf page not rendered")
        raise ValidationError({"file": _("PDFのページを画像にできませんでした。"
                                         "別のファイルでお試しください。")}) from None
    finally:
        document.close()
    return out.getvalue()


def _check_files(data: ItemInput, upload: UploadedFile) -> list[files.CheckedFile]:
    """The upload (and a PDF's rendered page) checked by the files context, before any
    transaction; raises ValidationError with the files context's message."""
    checked: list[files.CheckedFile] = []
    try:
        first = files.file_check(data=upload, name=upload.name or "", purpose=PURPOSE)
        checked.append(first)
        if first.content_type not in KIND_TYPES[Kind(data.kind)]:
            names = "・".join(t.split("/")[1].upper() for t in KIND_TYPES[Kind(data.kind)])
            raise ValidationError({"file": _("この種類には %(types)s のファイルを選んでください。")
                                   % {"types": names}})
        if data.kind == Kind.PDF:
            upload.seek(0)
            png = _render_pdf_page(upload.read(), data.pdf_page)
            checked.append(files.file_check(data=png, name="page.png", purpose=PURPOSE))
    except files.FileRefused as refused:
        for one in checked:
            one.discard()
        raise ValidationError({"file": refused.message}) from None
    except BaseException:
        for one in checked:
            one.discard()
        raise
    return checked


def item_create(*, by: User, data: ItemInput, upload: UploadedFile | None = None) -> Item:
    """A new item, waiting for approval. Nothing is stored when any check fails."""
    _validate(data, upload)
    if not can(by, Action.SIGNAGE_WRITE, targets_for(data)):
        raise PermissionDenied(_("この表示先に掲示物を登録する権限がありません。"))
    assert data.starts_at is not None and data.ends_at is not None  # checked by _validate
    checked = _check_files(data, upload) if data.kind in MEDIA_KINDS and upload else []
    try:
        with transaction.atomic():
            stored: list[StoredFile] = [
                files.file_store(data=c, name=c.name, purpose=PURPOSE, by=by) for c in checked]
            item = Item.objects.create(
                kind=data.kind, title=data.title.strip(), body=data.body.strip(),
                large=data.large, qr_url=data.qr_url, seconds=data.seconds,
                pdf_page=data.pdf_page, starts_at=data.starts_at, ends_at=data.ends_at,
                weekdays=",".join(str(d) for d in sorted(set(data.weekdays))),
                dayparts=",".join(data.dayparts), ward_wide=data.ward_wide, author=by,
                file=stored[0] if stored else None,
                rendering=stored[1] if len(stored) > 1 else None)
            item.regions.set(data.regions)
            item.centres.set(data.centres)
            item.screens.set(data.screens)
    except BaseException:
        for c in checked:
            c.discard()
        raise
    return item


def _locked(item: Item) -> Item:
    return Item.objects.select_for_update().get(pk=item.pk)


def _decide(*, by: User, item: Item, status: str, reason: str = "") -> Item:
    """Approve or refuse a pending item (its author never: four eyes, ``access``)."""
    if not can(by, Action.SIGNAGE_APPROVE, item):
        raise PermissionDenied(NOT_APPROVER)
    with transaction.atomic():
        current = _locked(item)
        if current.status != Status.PENDING:
            raise SignageRefused("state", _("この掲示物は承認待ちではありません。"), 409)
        current.status, current.decided_by, current.decided_at = status, by, timezone.now()
        current.refusal_reason = reason
        current.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
        if status == Status.APPROVED:
            live.refresh_after_commit()
    return current


def item_approve(*, by: User, item: Item) -> Item:
    return _decide(by=by, item=item, status=Status.APPROVED)


def item_refuse(*, by: User, item: Item, reason: str) -> Item:
    """Refuse with a reason (shown to the author)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("差し戻しの理由を入力してください。")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("理由は300文字以内で入力してください。")})
    return _decide(by=by, item=item, status=Status.REFUSED, reason=reason)


def item_withdraw(*, by: User, item: Item) -> Item:
    """End an item now: every player drops it on its next schedule (and at once when its
    socket is open). Withdrawing twice is harmless."""
    if not (can(by, Action.SIGNAGE_WRITE, item) or can(by, Action.SIGNAGE_APPROVE, item)):
        raise PermissionDenied(_("この掲示物の掲載を終える権限がありません。"))
    with transaction.atomic():
        current = _locked(item)
        if current.status == Status.WITHDRAWN:
            return current
        current.status, current.withdrawn_by, current.withdrawn_at = (
            Status.WITHDRAWN, by, timezone.now())
        current.save(update_fields=["status", "withdrawn_by", "withdrawn_at"])
        live.refresh_after_commit()
    return current


# ── screens and their keys ───────────────────────────────────────────────────────────

def screen_create(*, by: User, centre: DistrictCentre, name: str) -> Screen:
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError({"name": _("画面の名前を80文字以内で入力してください。")})
    screen = Screen(centre=centre, name=name)
    if not can(by, Action.SIGNAGE_SCREENS, screen):
        raise PermissionDenied(_("このセンターの画面を登録する権限がありません。"))
    screen.save()
    return screen


def screen_key_issue(*, by: User, screen: Screen) -> str:
    """A new key for ``screen`` (the earlier one is revoked); shown once."""
    if not can(by, Action.SIGNAGE_SCREENS, screen):
        raise PermissionDenied(_("この画面の鍵を発行する権限がありません。"))
    key = secrets.token_urlsafe(KEY_BYTES)
    with transaction.atomic():
        (ScreenKey.objects.filter(screen=screen, revoked_at__isnull=True)
         .update(revoked_at=timezone.now(), revoked_by=by))
        ScreenKey.objects.create(screen=screen, key_hash=digest(key), created_by=by)
        live.revoke_after_commit(screen.pk)
    return key


def screen_key_revoke(*, by: User, screen: Screen) -> None:
    """Revoke the screen's key: its player shows the neutral page."""
    if not can(by, Action.SIGNAGE_SCREENS, screen):
        raise PermissionDenied(_("この画面の鍵を取り消す権限がありません。"))
    with transaction.atomic():
        (ScreenKey.objects.filter(screen=screen, revoked_at__isnull=True)
         .update(revoked_at=timezone.now(), revoked_by=by))
        live.revoke_after_commit(screen.pk)


def screen_for_key(key: str | None) -> Screen:
    """The screen whose active key is ``key``; SignageRefused (403) otherwise."""
    if not key or not isinstance(key, str) or len(key) > 200:
        raise SignageRefused("screen_unknown", SCREEN_UNKNOWN, 403)
    found = (ScreenKey.objects.select_related("screen__centre__district")
             .filter(key_hash=digest(key), revoked_at__isnull=True).first())
    if found is None:
        raise SignageRefused("screen_unknown", SCREEN_UNKNOWN, 403)
    return found.screen


# ── heartbeat and proof of play ──────────────────────────────────────────────────────

def _moment(text: object) -> dt.datetime | None:
    if not isinstance(text, str) or len(text) > 40:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def heartbeat(*, screen: Screen, current: str | None, emergency: bool,
              plays: list[dict]) -> int:
    """The player is alive and shows ``current`` (an item's public id, None for nothing or
    the emergency message); ``plays`` are the items it started since its last heartbeat
    (``{"item": id, "at": ISO time, "failed": bool}``, kept while it was offline). Plays of
    items not meant for this screen, in the future or older than two days are ignored;
    the same play reported twice is recorded once. Returns the plays recorded."""
    now = timezone.now()
    wanted = {str(p.get("item")) for p in plays[:PLAYS_PER_HEARTBEAT] if isinstance(p, dict)}
    if current:
        wanted.add(str(current))
    known = {str(i.public_id): i for i in Item.objects.filter(
        public_id__in=[w for w in wanted if _is_uuid(w)])}
    rows = []
    for play in plays[:PLAYS_PER_HEARTBEAT]:
        if not isinstance(play, dict):
            continue
        item = known.get(str(play.get("item")))
        at = _moment(play.get("at"))
        if item is None or at is None or at > now + dt.timedelta(minutes=1) \
                or at < now - PLAY_HORIZON:
            continue
        rows.append(Play(screen=screen, item=item, title=item.title, started_at=at,
                         reported_at=now, failed=bool(play.get("failed"))))
    with transaction.atomic():
        created = Play.objects.bulk_create(rows, ignore_conflicts=True) if rows else []
        Screen.objects.filter(pk=screen.pk).update(
            last_seen=now, current_item=known.get(str(current)) if current else None,
            current_emergency=bool(emergency))
    return len(created)


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


__all__ = ["ItemInput", "heartbeat", "item_approve", "item_create", "item_refuse",
           "item_withdraw", "screen_create", "screen_for_key", "screen_key_issue",
           "screen_key_revoke"]
