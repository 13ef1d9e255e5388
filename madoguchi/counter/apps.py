from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounterConfig(AppConfig):
    name = "madoguchi.counter"
    label = "counter"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("窓口の受付・呼び出し")

    def ready(self) -> None:
        from madoguchi.counter import access, menu

        access.register()  # the record rules of offices (ADR 0032)
        menu.register()  # its entries in the staff menu (accounts)
