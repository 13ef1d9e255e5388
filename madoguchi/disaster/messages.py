"""The message kinds of the disaster context (registered in ``AppConfig.ready``)."""

from __future__ import annotations

from django.urls import reverse

from madoguchi.accounts.models import Membership, Role
from madoguchi.accounts.policy import roles_holding
from madoguchi.notifications.notify import Letter, Recipient, Skip
from madoguchi.organisation.models import District


def plan_review_letters(about, secret):
    """To the centre staff of the district (with an address): how many plans to review."""
    district = District.objects.filter(pk=about["district"]).first()
    if district is None:
        raise Skip("district gone")
    staff = (Membership.objects.current().filter(role__in=roles_holding(Role.DISTRICT_STAFF),
                                                 unit__district=district)
             .select_related("user"))
    letters = [Letter(recipient=Recipient(address=m.user.email, name=str(m.user),
                                          language=m.user.preferred_language),
                      context={"district": district.name, "count": about["count"],
                               "path": reverse("disaster:registry_list")},
                      part=m.user_id)
               for m in staff if m.user.email and m.user.is_active]
    if not letters:
        raise Skip("no centre staff with an address")
    return letters
