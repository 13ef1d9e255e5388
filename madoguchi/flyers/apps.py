from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlyersConfig(AppConfig):
    """QR flyers for newcomers (転入された方へ), one per district (ADR 0045)."""

    name = "madoguchi.flyers"
    label = "flyers"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("転入者向けチラシ")

    def ready(self) -> None:
        from madoguchi.flyers import desk, menu, resident

        menu.register()  # the staff menu entry (accounts' navigation)
        resident.register()  # "print the flyer of this resident's district" (people.actions)
        desk.register()  # the move-in flyer at offices taking 住民異動の届出 (counter.panels)
