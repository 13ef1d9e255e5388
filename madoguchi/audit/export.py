"""CSV export of the audit trail (UTF-8 with BOM, so that Excel opens it as Japanese)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.audit.models import AuditEntry
from madoguchi.core.dates import wareki
from madoguchi.core.spreadsheet import BOM, cell


def header() -> list[str]:
    return [_("日時"), _("日時（ISO 8601）"), _("職員ID"), _("職員"), _("役割"), _("操作"),
            _("記録の種類"), _("記録ID"), _("区民ID"), _("画面・API"), _("項目")]


def row(entry: AuditEntry) -> list[str]:
    local = timezone.localtime(entry.at)
    values = (f"{wareki(local)} {local:%H:%M:%S}", local.isoformat(), entry.actor_id_text,
              entry.actor_text, entry.actor_role, entry.get_action_display(), entry.record_type,
              entry.record_id, entry.resident_ref, entry.source, " ".join(entry.fields or []))
    return [cell(str(value)) for value in values]


def lines(entries: Iterable[AuditEntry]) -> Iterator[str]:
    """The CSV text in chunks: BOM and header first, then one line per entry."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(header())
    yield BOM + flush()
    for entry in entries:
        writer.writerow(row(entry))
        yield flush()
