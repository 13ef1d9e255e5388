from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "madoguchi.assessment"
    label = "assessment"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("地区アセスメント・オープンデータ")

    def ready(self):
        from madoguchi.assessment import access, menu, opendata, providers

        opendata.register_builtin()  # 公共施設一覧, 地域・年齢別人口 (others: their contexts)
        providers.register_all()  # figures of consultations and applications
        access.register()  # the record rules of assessments and profiles
        menu.register()  # its entries in the staff menu (accounts)
