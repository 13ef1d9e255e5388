from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    name = "madoguchi.files"
    label = "files"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("ファイル")

    def ready(self) -> None:
        from madoguchi.files import checks  # noqa: F401  (registers the system checks)
