from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignageConfig(AppConfig):
    name = "madoguchi.signage"
    label = "signage"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("デジタルサイネージ")

    def ready(self) -> None:
        from madoguchi.core import events
        from madoguchi.files import policy as file_policy
        from madoguchi.signage import access, emergency, menu

        access.register()  # the record rules of items, screens and emergencies (ADR 0032)
        menu.register()  # its entries in the staff menu (accounts)
        file_policy.register(file_policy.FilePolicy(
            "signage", (file_policy.JPEG, file_policy.PNG, file_policy.PDF, file_policy.MP4,
                        file_policy.WEBM), _("サイネージの素材"), max_mb=50))
        # Disaster mode switches the emergency message on and off (ADR 0043).
        events.subscribe(events.AreaEvent, emergency.on_area_event)
