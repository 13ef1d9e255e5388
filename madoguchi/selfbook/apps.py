from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfbookConfig(AppConfig):
    name = "madoguchi.selfbook"
    label = "selfbook"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("区民によるオンライン相談の予約")

    def ready(self) -> None:
        from madoguchi.selfbook import guidance_links, menu, messages

        messages.register_kinds()  # the confirmation mail with the room and manage links
        guidance_links.register()  # the guidance answer links to the booking pages
        menu.register()  # the sections' setting in the staff menu (accounts)
