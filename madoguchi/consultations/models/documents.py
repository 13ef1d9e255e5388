"""Files in a consultation record: shared in the video call or added by staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.consultations.models.consultation import Consultation
from madoguchi.scheduling.models import ParticipantKind


class DocumentPlace(models.TextChoices):
    ROOM = "room", _("ビデオ通話で共有")
    RECORD = "record", _("相談の記録に追加")


class ConsultationDocument(models.Model):
    """A file in the consultation record (madoguchi/files holds the bytes): shared in the
    video call by anyone admitted to it, or added on the record page by staff.

    Who added it: the staff member, or (without a staff login, through a one-time link) the
    kind of participant only, as on the timeline. The file's name stays on the StoredFile.
    """

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT,
                                     related_name="document_files")
    file = models.OneToOneField("files.StoredFile", on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("ファイル"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+",
                                 verbose_name=_("追加した職員"))
    participant_kind = models.CharField(_("参加者の種類"), max_length=12, blank=True,
                                        choices=ParticipantKind.choices)
    added_at = models.DateTimeField(_("追加日時"))
    place = models.CharField(_("追加した場所"), max_length=8, choices=DocumentPlace.choices)
    # The call's booking, for files shared in the video call.
    booking = models.ForeignKey("scheduling.Booking", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name=_("予約"))

    class Meta:
        ordering = ["added_at", "pk"]
        indexes = [models.Index(fields=["booking", "place"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(added_by__isnull=False)
                | models.Q(participant_kind__in=["resident", "guest"]),
                name="consultation_document_staff_or_link_participant"),
            models.CheckConstraint(
                condition=models.Q(place="record") | models.Q(booking__isnull=False),
                name="consultation_document_room_has_booking"),
        ]
        verbose_name = _("相談の資料")
        verbose_name_plural = _("相談の資料")

    def __str__(self) -> str:
        return f"相談の資料 {self.pk}"

    @property
    def added_by_display(self) -> str:
        if self.added_by_id is not None:
            return str(self.added_by)
        return str(self.get_participant_kind_display())
