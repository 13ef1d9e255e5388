from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "madoguchi.opinions"
    label = "opinions"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("意見募集・アンケート")

    def ready(self) -> None:
        from madoguchi.files import policy as file_policy
        from madoguchi.opinions import access, line, menu

        access.register()  # record rules of consultations and surveys (ADR 0032)
        menu.register()  # its entries in the staff menu (accounts)
        line.register()  # LINE messages naming a consultation become opinions (news' inbox)
        # The draft's documents, and the scanned postcard, letter or FAX an opinion was
        # typed from (files).
        file_policy.register(file_policy.FilePolicy(
            "pubcom_document", (file_policy.PDF,), _("意見募集の資料")))
        file_policy.register(file_policy.FilePolicy(
            "opinion_original", (file_policy.PDF, file_policy.JPEG, file_policy.PNG),
            _("意見の原本（スキャン）")))
