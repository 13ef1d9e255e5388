from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisasterConfig(AppConfig):
    name = "madoguchi.disaster"
    label = "disaster"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("防災")

    def ready(self):
        from madoguchi.disaster import access

        access.register()  # the record rules of shelters and the registry

        from madoguchi.disaster import menu

        menu.register()  # 安否確認 and 在宅避難者 in the staff menu (accounts)

        from madoguchi.disaster import sections

        sections.register()  # the way to the district's disaster page (organisation)

        from django.utils.translation import gettext_lazy as _

        from madoguchi.disaster.messages import plan_review_letters
        from madoguchi.disaster.selectors.registry import SHARE_PURPOSE
        from madoguchi.disaster.services.reminders import KIND
        from madoguchi.notifications.notify import register
        from madoguchi.people.services import register_consent_purpose

        register(KIND, plan_review_letters)

        register_consent_purpose(SHARE_PURPOSE, _("避難行動要支援者名簿の避難支援等関係者への提供"))
