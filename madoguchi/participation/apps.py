from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "madoguchi.participation"
    label = "participation"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("参加・イベント")

    def ready(self) -> None:
        from madoguchi.participation import (
            access,
            activities,
            menu,
            messages,
            online,
            opendata,
            referable,
        )

        access.register()  # record rules of events (ADR 0032)
        messages.register_kinds()  # registration mails (ADR 0030)
        menu.register()  # its entries in the staff menu (accounts)
        opendata.register()  # イベント一覧 in the ward's open data (assessment, ADR 0051)
        activities.register()  # 防災塾 on the district's disaster page (core, ADR 0061)
        referable.register()  # events that consultations and records point to (core)
        online.register()  # sessions in the ward's video room, their hosts (ADR 0064)
