from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "madoguchi.applications"
    label = "applications"
    verbose_name = _("申請")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from madoguchi.accounts.policy import register_involvement
        from madoguchi.applications import access

        register_involvement(access.involved_residents)
        access.register()  # the record rules of the application actions

        from madoguchi.applications.services.linking import link_on_login
        from madoguchi.portal.hooks import register_verified_login

        register_verified_login(link_on_login)

        from madoguchi.applications import messages

        messages.register_kinds()  # the notice-link mail (ADR 0030)
