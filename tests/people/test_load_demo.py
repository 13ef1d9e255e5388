"""`manage.py load_demo`: demo staff per role and fictional residents, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from madoguchi.accounts.models import User
from madoguchi.audit.models import AuditEntry
from madoguchi.people import selectors
from madoguchi.people.models import Consent, Resident

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent_and_goes_through_the_services(setagaya, settings):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    residents, consents = Resident.objects.count(), Consent.objects.count()
    assert 35 <= residents <= 50 and consents > 10
    assert AuditEntry.objects.filter(action="create", source="command:load_demo").count() \
        == residents
    districts = set(Resident.objects.values_list("district__code", flat=True))
    assert {"ikejiri", "matsubara", "yoga", "funabashi", "kamikitazawa"} <= districts
    assert Resident.objects.filter(birth_date__year__lt=1989).count() > 10  # 昭和 births
    text = out.getvalue()
    for username in ("ikejiri", "matsubara", "ikejiri-shocho", "matsubara-shocho",
                     "hokenfukushi", "kacho", "anshin", "admin", "kansa"):
        assert username in text
        assert User.objects.get(username=username).check_password(settings.DEMO_PASSWORD)
    assert "まちづくりセンター所長" in text
    assert "TOTP" in text

    call_command("load_demo", stdout=io.StringIO())
    assert (Resident.objects.count(), Consent.objects.count()) == (residents, consents)

    system = User.objects.get(username="demo-system")
    assert not system.is_active and not system.has_usable_password()


def test_demo_accounts_see_their_district(setagaya):
    call_command("load_demo", stdout=io.StringIO())
    ikejiri = User.objects.get(username="ikejiri")
    result = selectors.resident_search(user=ikejiri, query="ヤマダ", source="tests")
    assert result.residents and {r.district.code for r in result.residents} == {"ikejiri"}
    hoken = User.objects.get(username="hokenfukushi")
    assert selectors.resident_search(user=hoken, query="ヤマダ", source="tests").residents == []


def test_each_demo_centre_has_a_head_who_approves_for_it_only(setagaya):
    from madoguchi.accounts.models import Role
    from madoguchi.accounts.policy import own_district_ids, roles

    call_command("load_demo", stdout=io.StringIO())
    heads = {name: User.objects.get(username=f"{name}-shocho")
             for name in ("ikejiri", "matsubara")}
    for name, head in heads.items():
        assert Role.CENTRE_HEAD in roles(head)
        district = head.memberships.get().unit.district
        assert district.code == name
        assert own_district_ids(head, heads_only=True) == {district.pk}
    for username in ("ikejiri", "matsubara"):
        assert own_district_ids(User.objects.get(username=username), heads_only=True) == set()
