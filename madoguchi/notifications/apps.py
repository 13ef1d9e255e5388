from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "madoguchi.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from madoguchi.notifications import digest

        digest.register_kind()  # the daily digest to residents (ADR 0054)
