from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "madoguchi.community"
    label = "community"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from madoguchi.community import (
            access,
            guidance_links,
            menu,
            messages,
            resources,
            sections,
        )
        from madoguchi.community.services import circulars
        from madoguchi.files import policy as file_policy

        resources.register()  # rooms and equipment as bookable kinds (ADR 0029)
        access.register()  # the record rules of the community actions (ADR 0032)
        messages.register_kinds()  # the reminder and login-link mails (ADR 0030)
        guidance_links.register()  # the lending answer links to the centre's items
        menu.register()  # its entries in the staff menu (accounts)
        file_policy.register(circulars.POLICY)  # files sent with a circular (files)
        sections.register()  # the groups' public profiles on a district's page (organisation)
