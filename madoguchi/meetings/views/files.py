"""Files shared in the call, into the consultation record: the panel, sharing a file, the
download."""

from __future__ import annotations

import logging
from functools import partial

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from madoguchi.consultations import documents
from madoguchi.core.templatetags.wareki import wareki_datetime
from madoguchi.files.services import FileRefused
from madoguchi.files.uploads import bound_upload_form
from madoguchi.meetings import errors, services, sharing
from madoguchi.meetings.models import Room

logger = logging.getLogger("madoguchi.meetings")

# ── files shared in the call (into the consultation record) ───────────────────────────

FILES_POLL_SECONDS = 5


def _sharing(request, room: Room):
    """(sharer, consultation) of a files request; raises MeetingRefused."""
    sharer = sharing.sharer_for(room=room, user=request.user,
                                devices=dict(request.session.get(services.SESSION_DEVICES, {})))
    return sharer, documents.consultation_of_booking(room.booking_id)


def _files_room(public_id) -> Room:
    return get_object_or_404(Room.objects.select_related("booking__section"),
                             public_id=public_id)


def _files_panel(request, room, *, sharer=None, consultation=None, message: str = "",
                 ok: bool = False, status: int = 200):
    """The list of files shared in this call (polled), and the outcome of a share as an
    out-of-band message; a whole page when the request did not come from htmx."""
    note = ""
    if sharer is not None and consultation is None:
        note = _("この通話には相談の記録がないため、資料は共有できません。")
    elif sharer is not None and sharer.attended:
        note = _("通話は終了しました。この通話で共有された資料は、%(until)sまで受け取れます。") % {
            "until": wareki_datetime(sharer.link.expires_at)}
    elif sharer is not None and not sharer.admitted:
        note = _("通話に入ると、資料を共有したり受け取ったりできます。")
    can_share = bool(sharer and sharer.admitted and consultation is not None)
    receives = bool(sharer and sharer.receives and consultation is not None)
    stopped = sharer is None or sharer.attended
    context = {
        "room": room, "note": note, "can_share": can_share, "message": message, "ok": ok,
        "documents": documents.room_documents(room.booking_id) if receives else [],
        "poll_seconds": FILES_POLL_SECONDS, "stopped": stopped,
    }
    if request.htmx:
        # Refusals are answered with 200 (htmx swaps them in) or, for the polled list,
        # 286: htmx stops polling a call the person can no longer take part in (the
        # files of a call that is over stay listed, with no more polling).
        code = 286 if stopped and request.method == "GET" else 200
        return render(request, "meetings/_files_list.html", context, status=code)
    return render(request, "meetings/files_page.html", context, status=status)


@require_GET
@never_cache
def files(request, public_id):
    """The files shared in this call (htmx polls it)."""
    room = _files_room(public_id)
    try:
        sharer, consultation = _sharing(request, room)
    except errors.MeetingRefused as refused:
        return _files_panel(request, room, message=refused.message, status=refused.status)
    return _files_panel(request, room, sharer=sharer, consultation=consultation)


@require_POST
@never_cache
def file_share(request, public_id):
    """Share a file into the consultation record from the call (anyone admitted to it).
    Too large, forbidden type, empty, infected: a message in the panel, nothing stored."""
    room = _files_room(public_id)
    try:
        sharer, consultation = _sharing(request, room)
    except errors.MeetingRefused as refused:
        return _files_panel(request, room, message=refused.message, status=refused.status)
    panel = partial(_files_panel, request, room, sharer=sharer, consultation=consultation)
    if consultation is None or not sharer.admitted:
        return panel(message=_("通話に入ってから、資料を共有してください。") if consultation
                     else _("この通話には相談の記録がないため、資料は共有できません。"),
                     status=403)
    form = bound_upload_form(request, documents.PURPOSE)
    if not form.is_valid():
        return panel(message=" ".join(form.errors["file"]), status=400)
    upload = form.cleaned_data["file"]
    try:
        document = documents.document_add(
            consultation=consultation, data=upload, name=upload.name, by=sharer.user,
            participant_kind=sharer.participant_kind, place=documents.DocumentPlace.ROOM,
            booking=room.booking, source="meetings:file_share")
    except FileRefused as problem:
        return panel(message=problem.message, status=problem.status())
    return panel(ok=True, message=_("「%(name)s」を共有しました。相談の記録にも保存しました。")
                 % {"name": document.file.original_name})


@require_GET
@never_cache
def file_download(request, public_id, file_id):
    """A file shared in this call, for anyone admitted to it (staff downloads audited)."""
    room = _files_room(public_id)
    try:
        sharer, _consultation = _sharing(request, room)
    except errors.MeetingRefused as refused:
        return render(request, "meetings/refused.html", {"message": refused.message},
                      status=refused.status)
    if not sharer.receives:
        return render(request, "meetings/refused.html", {
            "message": _("通話に入っている間だけ、共有された資料を受け取れます。")}, status=403)
    document = documents.document_in_room(booking_id=room.booking_id, file_id=file_id)
    if document is None:
        raise Http404
    try:
        handle = documents.document_open(document=document, by=sharer.user,
                                         source="meetings:file_download")
    except FileRefused as problem:
        return render(request, "meetings/refused.html", {"message": problem.message},
                      status=404)
    if sharer.link is not None:
        logger.info("room %s: file %s downloaded through link %s", room.public_id,
                    document.file.public_id, sharer.link.pk)
    return FileResponse(handle, as_attachment=True, filename=document.file.original_name,
                        content_type=document.file.content_type)
