from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "madoguchi.meetings"
    label = "meetings"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("ビデオ相談")

    def ready(self):
        from madoguchi.meetings import links, timeline  # noqa: F401 (timeline declares its kinds)

        # The consultation's record offers the way into the booking's call (ADR 0031).
        links.register()
