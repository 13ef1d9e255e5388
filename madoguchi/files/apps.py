from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    name = "madoguchi.files"
    label = "files"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("ファイル")

    def ready(self) -> None:
        from madoguchi.core import uploads as core_uploads
        from madoguchi.files import checks  # noqa: F401  (registers the system checks)
        from madoguchi.files.uploads import largest_request

        # The early refusal of large bodies lets the largest purpose's file through (ADR 0056).
        core_uploads.register_largest_upload(largest_request)
