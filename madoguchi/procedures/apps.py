from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "madoguchi.procedures"
    label = "procedures"
    verbose_name = _("手続き")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from madoguchi.guidance.procedures import register_catalogue
        from madoguchi.procedures.selectors import published_names

        # The guidance engine names (and links) the procedures it suggests from the
        # published catalogue; guidance does not import procedures.
        register_catalogue(published_names)
