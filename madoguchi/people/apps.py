from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "madoguchi.people"
    label = "people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from madoguchi.people import rules

        rules.register()  # the record rules of residents (policy.register_rule)
