from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "madoguchi.portal"
    label = "portal"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("区民のマイページ")

    def ready(self) -> None:
        from madoguchi.portal import demo

        demo.refuse_in_production()  # every process: web, worker, manage.py

        from madoguchi.portal import messages

        messages.register_kinds()  # the login-link mail (ADR 0030)
