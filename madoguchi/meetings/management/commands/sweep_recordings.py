"""``manage.py sweep_recordings``: the call recordings' retention sweep (ADR 0012), for cron
or a systemd timer once a day. ``--enqueue`` hands it to the task worker instead."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from madoguchi.meetings.services import recording as recording_services


class Command(BaseCommand):
    help = ("Delete call recordings older than MEETINGS_RECORDING_RETENTION_DAYS and stop "
            "recordings whose browser stopped sending.")

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true",
                            help="Enqueue the sweep for the task worker instead of running it.")

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            recording_services.sweep_recordings.enqueue()
            self.stdout.write("recording sweep enqueued")
            return
        result = recording_services.recordings_sweep()
        self.stdout.write(f"recording sweep: {result.abandoned} abandoned, {result.deleted} "
                          f"deleted, {result.files} stray files")
