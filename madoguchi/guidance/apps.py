from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "madoguchi.guidance"
    label = "guidance"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("案内")

    def ready(self):
        from madoguchi.consultations.routing import register_proposer
        from madoguchi.guidance.proposer import guidance_proposal

        # The engine proposes a section at consultation intake when it is confident.
        register_proposer(guidance_proposal)

        from madoguchi.guidance import access

        access.register()  # the record rules of guidance entries
