"""What may be stored, per purpose: the size limit and the content types.

The types are those every browser on the ward's counters shows without a plug-in and that
can be told apart from their first bytes: PDF, JPEG and PNG. HEIC (iPhone photos) is not
accepted: browsers on staff PCs cannot show it, and iOS Safari already converts photos to
JPEG when the file input's ``accept`` lists image/jpeg only (see ADR 0011).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
MP4 = "video/mp4"
WEBM = "video/webm"

# Content type -> (file extensions, name shown to people).
TYPES: dict[str, tuple[tuple[str, ...], str]] = {
    PDF: ((".pdf",), "PDF"),
    JPEG: ((".jpg", ".jpeg"), "JPEG"),
    PNG: ((".png",), "PNG"),
    # Short videos of the signage screens (ADR 0043): only for purposes that list them.
    MP4: ((".mp4",), "MP4"),
    WEBM: ((".webm",), "WebM"),
}


@dataclass(frozen=True)
class FilePolicy:
    """``max_mb``: the limit of this purpose; None = ``FILES_MAX_MB``. The upload spool and
    the request limit follow the largest purpose (ADR 0056)."""

    name: str
    content_types: tuple[str, ...]
    label: str  # translated lazily: shown to people
    max_mb: int | None = None

    @property
    def max_bytes(self) -> int:
        """The purpose's own limit, else ``FILES_MAX_MB`` (ADR 0056: no longer a cap)."""
        return (self.max_mb or settings.FILES_MAX_MB) * MB

    @property
    def max_text(self) -> str:
        """「10MB」"""
        return f"{self.max_bytes // MB}MB"

    @property
    def type_names(self) -> str:
        """「PDF・JPEG・PNG」 (「PDF, JPEG, PNG」 in English)"""
        separator = ", " if translation.get_language() == "en" else "・"
        return separator.join(TYPES[t][1] for t in self.content_types)

    @property
    def accept(self) -> str:
        """The ``accept`` attribute of a file input (a hint; the server decides)."""
        return ",".join([*self.content_types,
                         *[ext for t in self.content_types for ext in TYPES[t][0]]])


POLICIES: dict[str, FilePolicy] = {
    "consultation": FilePolicy("consultation", (PDF, JPEG, PNG), _("相談の資料")),
    "application": FilePolicy("application", (PDF, JPEG, PNG), _("申請の添付書類")),
    # Decision notices (決定通知書) made by the ward: PDF only.
    "notice": FilePolicy("notice", (PDF,), _("通知書")),
}


def register(policy: FilePolicy) -> FilePolicy:
    """Add the purpose of a context above files (from its ``AppConfig.ready``); the same
    policy again is harmless, another one under a taken name is refused."""
    known = POLICIES.get(policy.name)
    if known is not None and known != policy:
        raise ValueError(f"file purpose {policy.name!r} is registered already")
    POLICIES[policy.name] = policy
    return policy


def policy_for(purpose: str) -> FilePolicy:
    try:
        return POLICIES[purpose]
    except KeyError:
        raise ValueError(f"unknown file purpose: {purpose!r}") from None
