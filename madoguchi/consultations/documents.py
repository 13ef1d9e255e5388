"""Documents in the consultation record: files shared in the video call (by anyone
admitted to it) or added on the record page (by staff who may see the record).

The one place where consultations meet madoguchi/files. ``document_add`` checks the file
before its transaction (no transaction waits for an upload or the virus scanner), then in
one transaction stores it, links it to the record, appends a timeline event (who: the
staff member or the kind of participant; never a name or the file's name) and, for staff,
an audit entry. Reads that hand out a file's bytes to staff are audited too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.consultations.models import (
    Consultation,
    ConsultationDocument,
    ConsultationEvent,
    DocumentPlace,
    Status,
)
from madoguchi.files.services import FileRefused, file_check, file_open, file_store

if TYPE_CHECKING:
    import uuid

    from django.core.files.uploadedfile import UploadedFile

    from madoguchi.accounts.models import User
    from madoguchi.scheduling.models import Booking

PURPOSE = "consultation"
RECORD = "consultation"
FIELD = "document"


def consultation_of_booking(booking_id: int) -> Consultation | None:
    """The consultation whose current booking is ``booking_id`` (the call's record)."""
    return (Consultation.objects.select_related("resident", "section")
            .filter(booking_id=booking_id).order_by("pk").first())


def _rows():
    return ConsultationDocument.objects.select_related("file", "added_by")


def documents_of(consultation: Consultation) -> list[ConsultationDocument]:
    return list(_rows().filter(consultation=consultation).order_by("added_at", "pk"))


def room_documents(booking_id: int) -> list[ConsultationDocument]:
    """The files shared in the call of ``booking_id`` (not the rest of the record)."""
    return list(_rows().filter(booking_id=booking_id, place=DocumentPlace.ROOM)
                .order_by("added_at", "pk"))


def document_in_record(*, consultation: Consultation,
                       file_id: uuid.UUID) -> ConsultationDocument | None:
    return _rows().filter(consultation=consultation, file__public_id=file_id).first()


def document_in_room(*, booking_id: int, file_id: uuid.UUID) -> ConsultationDocument | None:
    return (_rows().filter(booking_id=booking_id, place=DocumentPlace.ROOM,
                           file__public_id=file_id)
            .select_related("consultation__resident").first())


def document_open(*, document: ConsultationDocument, by: User | None,
                  source: str) -> BinaryIO:
    """The document's bytes; a staff reader is audited. Raises FileRefused (missing)."""
    handle = file_open(stored=document.file)
    if by is not None:
        consultation = document.consultation
        audit.record(actor=by, action=AuditAction.VIEW, record_type=RECORD,
                     record_id=consultation.pk,
                     resident_ref=str(consultation.resident.public_id), source=source,
                     fields=[FIELD])
    return handle


def _place_note(place: DocumentPlace) -> str:
    """The timeline note, in the record's language (Japanese) whatever the page's."""
    with translation.override("ja"):
        return str(place.label)


def document_add(*, consultation: Consultation, data: UploadedFile | bytes, name: str,
                 by: User | None, place: str, source: str, participant_kind: str = "",
                 booking: Booking | None = None) -> ConsultationDocument:
    """Add a file to the record. ``place`` "record": ``by`` is staff who may add it there.
    ``place`` "room": the call of ``booking`` (the consultation's current booking); the
    caller (meetings) has checked that the person is admitted to it; ``by`` is None for a
    participant with a one-time link, named by ``participant_kind``. Raises FileRefused
    (nothing is stored) or PermissionDenied."""
    place = DocumentPlace(place)
    if place == DocumentPlace.RECORD:
        if by is None or not can(by, Action.CONSULTATION_DOCUMENT_ADD, consultation):
            raise PermissionDenied(_("この相談に資料を追加する権限がありません。"))
        booking = None
    elif booking is None or consultation.booking_id != booking.pk:
        raise PermissionDenied(_("この通話の相談には資料を共有できません。"))
    if by is not None:
        participant_kind = ""
    elif participant_kind not in ConsultationEvent.LINK_PARTICIPANT_KINDS:
        raise ValueError("a file shared without a staff login needs a resident or guest kind")
    checked = file_check(data=data, name=name, purpose=PURPOSE)
    try:
        with transaction.atomic():
            current = (Consultation.objects.select_for_update(of=("self",))
                       .select_related("resident", "section").get(pk=consultation.pk))
            if current.status == Status.CANCELLED:
                raise FileRefused(_("取り消された相談には資料を追加できません。"), "cancelled")
            stored = file_store(data=checked, name=name, purpose=PURPOSE, by=by)
            now = timezone.now()
            document = ConsultationDocument.objects.create(
                consultation=current, file=stored, added_by=by,
                participant_kind=participant_kind, added_at=now, place=place,
                booking=booking)
            ConsultationEvent.objects.create(
                consultation=current, at=now, actor=by, kind=ConsultationEvent.Kind.DOCUMENT_ADD,
                participant_kind=participant_kind, from_status=current.status,
                to_status=current.status, section=current.section, booking=booking,
                note=_place_note(place))
            if by is not None:
                audit.record(actor=by, action=AuditAction.UPDATE, record_type=RECORD,
                             record_id=current.pk,
                             resident_ref=str(current.resident.public_id), source=source,
                             fields=[FIELD])
    except BaseException:
        checked.discard()
        raise
    return document
