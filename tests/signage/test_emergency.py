"""Emergency messages: who may start them, the rule for overlapping ones, and disaster mode
switching them on and off (core.events from disaster's declarations)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from madoguchi.accounts.models import Role
from madoguchi.disaster.services import declaration_confirm, declaration_end, declaration_request
from madoguchi.organisation.models import Region
from madoguchi.signage import selectors
from madoguchi.signage.emergency import emergency_lift, emergency_start
from madoguchi.signage.errors import SignageRefused
from madoguchi.signage.models import Emergency

pytestmark = pytest.mark.django_db


@pytest.fixture
def kitazawa(setagaya):
    return Region.objects.get(code="kitazawa")


def test_who_may_start_one(admin, branch, branch2, region, kitazawa):
    with pytest.raises(PermissionDenied):
        emergency_start(by=branch, region=region, message="x")  # managers only
    with pytest.raises(PermissionDenied):
        emergency_start(by=branch2, region=None, message="x")  # ward-wide: administrators
    with pytest.raises(PermissionDenied):
        emergency_start(by=branch2, region=kitazawa, message="x")  # another region
    assert emergency_start(by=branch2, region=region, message="断水").region == region
    with pytest.raises(ValidationError):
        emergency_start(by=admin, region=kitazawa, message="   ")


def test_overlapping_messages_are_refused(admin, branch2, region, kitazawa):
    emergency_start(by=branch2, region=region, message="断水")
    with pytest.raises(SignageRefused) as refused:
        emergency_start(by=admin, region=None, message="区全体")
    assert "重ねて出すことはできません" in refused.value.message
    with pytest.raises(SignageRefused):
        emergency_start(by=admin, region=region, message="二つ目")
    emergency_start(by=admin, region=kitazawa, message="停電")  # another region: fine
    assert Emergency.objects.filter(lifted_at__isnull=True).count() == 2


def test_a_screen_shows_the_message_of_its_region_until_lifted(admin, screen, far_screen,
                                                               region):
    started = emergency_start(by=admin, region=region, message="断水")
    assert selectors.schedule(screen)["emergency"]["message"] == "断水"
    assert selectors.schedule(far_screen)["emergency"] is None
    emergency_lift(by=admin, emergency=started)
    assert selectors.schedule(screen)["emergency"] is None
    emergency_lift(by=admin, emergency=started)  # twice: harmless


def test_disaster_mode_replaces_staff_messages_and_ends_with_its_own(make_staff, screen,
                                                                     far_screen, region):
    first, second = make_staff(Role.WARD_ADMIN), make_staff(Role.WARD_ADMIN)
    staff_message = emergency_start(by=first, region=region, message="断水")
    declaration = declaration_request(by=first, region=None, reason="首都直下地震")
    assert selectors.schedule(screen)["emergency"]["message"] == "断水"  # not confirmed yet
    declaration_confirm(by=second, declaration=declaration)
    staff_message.refresh_from_db()
    assert staff_message.lifted_at is not None
    for shown in (screen, far_screen):
        message = selectors.schedule(shown)["emergency"]["message"]
        assert message.startswith("【災害モード】首都直下地震")
    with pytest.raises(SignageRefused):
        emergency_lift(by=first, emergency=Emergency.objects.get(source="disaster"))
    declaration_end(by=first, declaration=declaration)
    assert selectors.schedule(screen)["emergency"] is None


def test_a_withdrawn_request_publishes_nothing(make_staff, screen):
    first = make_staff(Role.WARD_ADMIN)
    declaration = declaration_request(by=first, region=None, reason="訓練")
    declaration_end(by=first, declaration=declaration)
    assert not Emergency.objects.exists()


def test_the_page_refuses_an_overlap_with_a_clear_message(admin, region):
    from tests.helpers import login

    client = login(Client(), admin)
    emergency_start(by=admin, region=None, message="区全体")
    answer = client.post(reverse("signage:emergency"),
                         {"action": "start", "region": region.pk, "message": "断水"})
    assert answer.status_code == 409
    assert "重ねて出すことはできません" in answer.content.decode()
