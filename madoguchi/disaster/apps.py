from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisasterConfig(AppConfig):
    name = "madoguchi.disaster"
    label = "disaster"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("防災")

    def ready(self):
        from madoguchi.disaster import access

        access.register()  # the record rules of shelters
