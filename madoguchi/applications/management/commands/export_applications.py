"""``manage.py export_applications``: the hand-off export of one section's applications of
one procedure, as CSV or JSON (docs/applications-export.md). The staff member named by
``--user`` must be section staff or a manager of that section; every exported application
is audited under their name (source ``manage:export_applications``)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from madoguchi.applications import export

SOURCE = "manage:export_applications"


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Export a section's received applications of one procedure as CSV or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True,
                            help="username of the staff member who exports (audited)")
        parser.add_argument("--section", required=True, help="section code, e.g. kazei")
        parser.add_argument("--procedure", required=True,
                            help="procedure code, e.g. kazei-shomei")
        parser.add_argument("--from", dest="received_from", type=_date,
                            help="first day of receipt (YYYY-MM-DD, inclusive)")
        parser.add_argument("--to", dest="received_to", type=_date,
                            help="last day of receipt (YYYY-MM-DD, inclusive)")
        parser.add_argument("--status", action="append", default=[],
                            help="status code to keep (repeatable; default: every status)")
        parser.add_argument("--format", choices=export.FORMATS, default="csv")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"],
                                               is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']!r}")
        statuses = [s.strip() for value in options["status"] for s in value.split(",")]
        try:
            query = export.make_query(
                user=user, section=options["section"], procedure=options["procedure"],
                statuses=statuses, received_from=options["received_from"],
                received_to=options["received_to"])
            result = export.run(user=user, query=query, source=SOURCE)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        if options["format"] == "csv":
            text = "".join(export.csv_lines(result))
        else:
            text = export.json_text(result)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
        self.stderr.write(f"{len(result.applications)} applications exported")
