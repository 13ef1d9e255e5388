from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "madoguchi.news"
    label = "news"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from madoguchi.files import policy as file_policy
        from madoguchi.news import access, menu, messages, sections

        access.register()  # the record rules of the news actions (ADR 0032)
        messages.register_kinds()  # the confirmation and newsletter mails (ADR 0030)
        menu.register()  # its entries in the staff menu (accounts)
        sections.register()  # the news section of a district's page (organisation)
        # Images of posts: photos and posters, shown publicly (files).
        file_policy.register(file_policy.FilePolicy(
            "news_image", (file_policy.JPEG, file_policy.PNG), _("お知らせの画像"), max_mb=5))
