from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "madoguchi.meetings"
    label = "meetings"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("ビデオ相談")

    def ready(self) -> None:
        from madoguchi.meetings import (  # noqa: F401 (timeline declares its kinds)
            access,
            links,
            messages,
            timeline,
        )
        from madoguchi.meetings.access import enterable_booking_ids
        from madoguchi.scheduling.selectors import room_entry_register

        access.register()  # the record rules of rooms and kiosks, and of call recordings
        # The consultation's record offers the way into the booking's call (ADR 0031).
        links.register()
        messages.register_kinds()  # the room-link mail (ADR 0030)
        room_entry_register(enterable_booking_ids)  # the agenda's 「ビデオ通話に入る」
