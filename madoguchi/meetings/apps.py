from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "madoguchi.meetings"
    label = "meetings"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("ビデオ相談")

    def ready(self) -> None:
        from madoguchi.meetings import access, recording_access

        access.register()  # the record rules of rooms and kiosks
        recording_access.register()  # and of call recordings
