"""A post image's small preview for LINE (its previewImageUrl): made once per stored file
and kept in the cache, since LINE's servers may fetch it for every reader of a broadcast
and a stored file never changes."""

from __future__ import annotations

import io

from django.core.cache import cache

from madoguchi.files import services as files

PREVIEW_SIDE = 240  # LINE's preview image: small (at most 1 MB); 240 px is its advice
KEPT_SECONDS = 24 * 3600


def preview(stored) -> bytes:
    """The image scaled down to fit PREVIEW_SIDE, in its own format (JPEG or PNG)."""
    return cache.get_or_set(f"news:preview:{stored.pk}", lambda: _scaled(stored),
                            KEPT_SECONDS)


def _scaled(stored) -> bytes:
    from PIL import Image

    with files.file_open(stored=stored) as source, Image.open(source) as picture:
        kind = picture.format or "PNG"
        picture.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
        if kind == "JPEG" and picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        out = io.BytesIO()
        picture.save(out, format=kind)
    return out.getvalue()
