from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborationConfig(AppConfig):
    name = "madoguchi.collaboration"
    label = "collaboration"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("四者連携")

    def ready(self):
        from madoguchi.collaboration import access, figures, menu, messages
        from madoguchi.collaboration.services import references

        access.register()  # the record rules of trouble records, meetings, escalations
        messages.register()  # the overdue action item reminder (notifications)
        figures.register()  # records, meetings, escalations in the district figures
        menu.register()  # its entries in the staff menu (accounts)
        references.register()  # how many records point to a thing (core, ADR 0061)
