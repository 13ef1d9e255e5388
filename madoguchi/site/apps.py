from django.apps import AppConfig


class SiteConfig(AppConfig):
    """What assembles the apps into the site (ADR 0034): the front page and the error pages,
    health, the system checks of outside programs, backup and restore, demo loading, the
    API schema export. core keeps only small shared pieces that import no app."""

    name = "madoguchi.site"
    label = "site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from madoguchi.site import checks_tools  # noqa: F401 (registers the system checks)
