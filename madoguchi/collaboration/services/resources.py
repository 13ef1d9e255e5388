"""Social resources (社会資源) found at a meeting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action
from madoguchi.collaboration.models import (
    Meeting,
    SocialResource,
)

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


@transaction.atomic
def resource_create(*, district, need: str, resource: str, partners: str, by: User,
                    meeting: Meeting | None = None) -> SocialResource:
    if district is None or district.pk not in _party_districts(by):
        raise PermissionDenied
    errors = {key: [message] for key, value, message in (
        ("need", need, _("地域のニーズを入力してください。")),
        ("resource", resource, _("創出・発見した資源を入力してください。")),
        ("partners", partners, _("連携先を入力してください。"))) if not value.strip()}
    if errors:
        raise ValidationError(errors)
    return SocialResource.objects.create(district=district, meeting=meeting, need=need.strip(),
                                         resource=resource.strip(), partners=partners.strip(),
                                         created_by=by)


def _party_districts(user: User) -> set[int]:
    from madoguchi.collaboration.access import party_district_ids

    return party_district_ids(user, Action.COLLAB_MEETING_VIEW)
