"""What a file is, from its bytes; and a name that is safe to hand back in a download.

Neither the browser's content type nor the file name is trusted: the type is sniffed from
the first bytes with the ``filetype`` package (magic numbers, no system libmagic), and the
name only keeps its place in the ``Content-Disposition`` of a download, with the
extension of the sniffed type.
"""

from __future__ import annotations

import re
import unicodedata

import filetype

from madoguchi.files.policy import TYPES

HEAD_BYTES = 8192  # filetype looks at most at the first 8 KiB
NAME_MAX = 120
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def sniff(head: bytes) -> str | None:
    """The content type of a file starting with ``head``, or None when unknown."""
    kind = filetype.guess(head[:HEAD_BYTES]) if head else None
    return kind.mime if kind is not None else None


def safe_name(name: str, content_type: str) -> str:
    """The file's own name without any path, control or reserved characters, at most
    ``NAME_MAX`` characters, ending in an extension of ``content_type``."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", str(name or "")))[-1]
    base = _UNSAFE.sub("", base).strip(" .")
    extensions = TYPES.get(content_type, ((),))[0]
    stem, dot, ext = base.rpartition(".")
    if dot and f".{ext.lower()}" in extensions:
        stem, suffix = stem, f".{ext.lower()}"
    else:
        stem, suffix = base, (extensions[0] if extensions else "")
    stem = stem.strip(" .")[: NAME_MAX - len(suffix)] or "file"
    return stem + suffix
