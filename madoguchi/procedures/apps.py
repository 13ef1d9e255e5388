from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "madoguchi.procedures"
    label = "procedures"
    verbose_name = _("手続き")
    default_auto_field = "django.db.models.BigAutoField"
