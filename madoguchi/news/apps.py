from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "madoguchi.news"
    label = "news"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from madoguchi.news import access, menu, messages, sections

        access.register()  # the record rules of the news actions (ADR 0032)
        messages.register_kinds()  # the confirmation and newsletter mails (ADR 0030)
        menu.register()  # its entries in the staff menu (accounts)
        sections.register()  # the news section of a district's page (organisation)
