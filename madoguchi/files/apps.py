from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    name = "madoguchi.files"
    label = "files"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("ファイル")
