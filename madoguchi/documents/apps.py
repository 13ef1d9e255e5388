from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "madoguchi.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from madoguchi.documents import checks  # noqa: F401  (registers the system check)
