"""Stored files: one row per file; the bytes live on disk under ``FILES_DIR``.

``original_name`` is kept here only: it may be personal data (「山田花子_保険証.jpg」), so it
never appears in ``__str__``, logs or URLs; files are named by ``public_id`` everywhere else.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("サイズ（バイト）"))
    # Sniffed from the bytes (madoguchi/files/content.py), never the browser's word.
    content_type = models.CharField(_("種類"), max_length=100)
    original_name = models.CharField(_("ファイル名"), max_length=200)
    purpose = models.CharField(_("用途"), max_length=40)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("登録した職員"))
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)
    # Relative path under FILES_DIR: <purpose>/<yyyy>/<mm>/<public_id hex>.
    storage_key = models.CharField(max_length=200, unique=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ファイル")
        verbose_name_plural = _("ファイル")

    def __str__(self) -> str:
        return f"ファイル {self.public_id}"
