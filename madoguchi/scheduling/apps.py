from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "madoguchi.scheduling"
    label = "scheduling"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from madoguchi.scheduling import messages, permissions

        messages.register_kinds()  # the booking messages (ADR 0030)
        permissions.register()  # the record rules of the booking actions
