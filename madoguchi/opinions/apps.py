from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "madoguchi.opinions"
    label = "opinions"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("意見募集・アンケート")

    def ready(self) -> None:
        from madoguchi.opinions import access, menu

        access.register()  # record rules of consultations and surveys (ADR 0032)
        menu.register()  # its entries in the staff menu (accounts)
