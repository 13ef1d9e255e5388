from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "madoguchi.consultations"
    label = "consultations"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("相談")

    def ready(self):
        from madoguchi.accounts.policy import register_involvement
        from madoguchi.consultations import access, reception, resources, timeline

        # Staff of the section a consultation was routed to, staff participants of its
        # bookings and the partner who took it see the resident.
        register_involvement(access.involved_residents)
        access.register()  # the record rules of the consultation actions
        # The booths and people a consultation books (scheduling's bookable kinds).
        resources.register()
        # The timeline declares its kinds and records the events published about a
        # consultation's booking (the video call's, ADR 0031).
        timeline.register()
        # Bookings at a centre's booth check in at the counter's reception (ADR 0046).
        reception.register()
        from madoguchi.consultations.services import references

        references.register()  # how many consultations point to a thing (core, ADR 0061)
