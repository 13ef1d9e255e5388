"""The daily digest and the stop links of residents' mail (ADR 0054).

A ``Mailbox`` is one e-mail address the notifier writes to residents at; its id, never the
address, is what a stop link names. ``MailStop`` records what the address asked to stop
(``digest``: every notice that is not a confirmation or a reminder). ``DigestItem`` is one
notice waiting for the address's digest; ``DigestSend`` is the address's digest of one day,
unique per address and day, so a second run of the daily task sends nothing more.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

DIGEST = "digest"


class Mailbox(models.Model):
    address = models.EmailField(_("メールアドレス"), unique=True)  # stored lower-case
    language = models.CharField(_("言語"), max_length=8, default="ja")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    def __str__(self) -> str:
        return f"mailbox {self.pk}"  # no address: this may be logged


class MailStop(models.Model):
    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="stops")
    scope = models.CharField(_("停止した配信"), max_length=40, default=DIGEST)
    at = models.DateTimeField(_("停止日時"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mailbox", "scope"],
                                               name="notifications_mailstop_once")]

    def __str__(self) -> str:
        return f"stop {self.scope} of mailbox {self.mailbox_id}"


class DigestSend(models.Model):
    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="digests")
    day = models.DateField(_("日付"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mailbox", "day"],
                                               name="notifications_digest_once_a_day")]

    def __str__(self) -> str:
        return f"digest of mailbox {self.mailbox_id} on {self.day}"


class DigestItem(models.Model):
    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=60)
    about = models.JSONField(default=dict)  # ids, as notify's ``about``
    created_at = models.DateTimeField(auto_now_add=True)
    send = models.ForeignKey(DigestSend, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="items")

    class Meta:
        indexes = [models.Index(fields=["send", "mailbox"], name="notifications_digest_wait")]

    def __str__(self) -> str:
        return f"{self.kind} for mailbox {self.mailbox_id}"
