"""No staff page's query count grows with the number of rows (issue 22, ADR 0026).

The pages are every page of the permission matrix (tests/test_permission_matrix.py) that a
staff role opens with a plain GET (no record in the URL), as each role allowed in, plus
the resident search (a POST): a page a new context adds is checked without touching this
file. The queries of each are counted with 10 rows of everything a staff list shows, then
with 100 (residents, consultations, applications, audit entries: ``GROWERS``, which a
context extends when its lists show rows of its own), and must not be more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from madoguchi.applications.models import Application, ApplicationEvent
from madoguchi.applications.routing import responsible_section
from madoguchi.audit.models import AuditEntry
from madoguchi.consultations.models import Consultation
from madoguchi.core.text import kana_key
from madoguchi.organisation.models import District, DistrictCentre, Section
from madoguchi.people.models import Resident
from madoguchi.procedures.models import Procedure
from tests.conftest import ROLE_UNITS
from tests.helpers import login
from tests.test_permission_matrix import MATRIX, discovered_patterns

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 100
POSTED = {"people:search": {"q": "ヤマダ"}}  # list pages that take their query by POST
IKEJIRI = ("setagaya", "ikejiri")


def list_pages() -> list[tuple[str, str, str]]:
    """(url name, path, role) for every page without a record in its URL that a staff
    role gets (200) by GET, or by POST for the searches in ``POSTED``."""
    found = discovered_patterns()
    pages = []
    for name, (method, expected) in sorted(MATRIX.items()):
        if "<" in found[name] or (method != "get" and name not in POSTED):
            continue
        for role in ROLE_UNITS:
            if expected.get(role) == 200:
                pages.append((name, found[name], role))
    return pages


# ── rows of everything the staff lists show, ``count`` more each call ───────────────────


class World:
    def __init__(self, staff: dict) -> None:
        self.staff = staff
        self.district = District.objects.get(region__code=IKEJIRI[0], code=IKEJIRI[1])
        self.centre = DistrictCentre.objects.get(district=self.district)
        self.section = Section.objects.get(code="setagaya/hoken-fukushi")
        self.partner = Section.objects.get(code="setagaya/ikejiri/anshin")
        self.made = 0


def grow_residents_and_consultations(world: World, start: int, count: int) -> None:
    clerk = world.staff["district_staff"]
    residents = Resident.objects.bulk_create([
        Resident(family_name="山田", given_name=f"太郎{n}", family_name_kana="ヤマダ",
                 given_name_kana="タロウ", name_key=f"山田太郎{n}",
                 kana_key=kana_key(f"ヤマダタロウ{n}"), birth_date=dt.date(1950, 1, 1)
                 + dt.timedelta(days=n), address="世田谷区池尻（テスト）",
                 district=world.district, created_by=clerk)
        for n in range(start, start + count)])
    now = timezone.now()
    Consultation.objects.bulk_create([
        Consultation(resident=resident, centre=world.centre, received_by=clerk,
                     received_at=now - dt.timedelta(hours=n), worry="テストの相談",
                     category="elderly", status="routed" if n % 2 else "completed",
                     section=world.partner if n % 3 == 0 else world.section)
        for n, resident in enumerate(residents)])


def grow_applications(world: World, start: int, count: int) -> None:
    for procedure in Procedure.objects.filter(current__isnull=False).select_related(
            "current__section_kind"):
        version = procedure.current
        if responsible_section(version.section_kind, world.district) == world.section:
            break
    else:
        pytest.fail("no procedure of the test section")
    spec = version.workflow_spec
    residents = list(Resident.objects.filter(district=world.district)
                     .order_by("-pk")[:count])
    received = timezone.now() - dt.timedelta(days=200)
    applications = Application.objects.bulk_create([
        Application(version=version, channel="counter", resident=resident,
                    district=world.district, section=world.section,
                    status=spec.initial if n % 2 else spec.final_codes[0],
                    reference=f"T-{start + n:07d}", submitted_at=received,
                    due_on=received.date() + dt.timedelta(days=30),
                    closed_at=None if n % 2 else received + dt.timedelta(days=3))
        for n, resident in enumerate(residents)])
    ApplicationEvent.objects.bulk_create([
        ApplicationEvent(application=a, kind="submitted", to_status=a.status, public=True)
        for a in applications])


def grow_audit(world: World, start: int, count: int) -> None:
    clerk = world.staff["district_staff"]
    AuditEntry.objects.bulk_create([
        AuditEntry(actor=clerk, actor_role="district_staff", action="view",
                   record_type="resident", record_id=str(start + n), source="tests")
        for n in range(count)])


def grow_collaboration(world: World, start: int, count: int) -> None:
    """Trouble records (half shared, some with a resident), meetings, action items of the
    partner, escalations and social resources of 池尻."""
    from madoguchi.collaboration.models import (
        ActionItem,
        Escalation,
        Meeting,
        RecordForm,
        SocialResource,
        Theme,
        TroubleRecord,
    )
    from tests.collaboration.conftest import ensure_defaults

    ensure_defaults()
    clerk, partner = world.staff["district_staff"], world.staff["partner_staff"]
    form, theme = RecordForm.objects.order_by("-version")[0], Theme.objects.first()
    residents = list(Resident.objects.filter(district=world.district).order_by("-pk")[:count])
    records = TroubleRecord.objects.bulk_create([
        TroubleRecord(form=form, party=world.partner, district=world.district, theme=theme,
                      title=f"課題{n}", noticed="テスト", age_band="old", household="single",
                      share=n % 2 == 0, owner=partner, created_by=partner,
                      resident=residents[n - start] if n % 3 == 0 and residents else None,
                      basis="consent" if n % 3 == 0 and residents else "",
                      answers={"since": "month"})
        for n in range(start, start + count)])
    now = timezone.now()
    meetings = Meeting.objects.bulk_create([
        Meeting(district=world.district, mode="in_person", place="会議室",
                starts_at=now + dt.timedelta(days=n + 1)) for n in range(start, start + count)])
    ActionItem.objects.bulk_create([
        ActionItem(meeting=m, task="対応", party=world.partner, person=partner,
                   due_date=timezone.localdate(), created_by=clerk) for m in meetings])
    Escalation.objects.bulk_create([
        Escalation(district=world.district, record=r, to_section=world.section,
                   subject="上申", opened_by=partner, due_date=timezone.localdate())
        for r in records])
    SocialResource.objects.bulk_create([
        SocialResource(district=world.district, need="ニーズ", resource="資源",
                       partners="町会", created_by=clerk) for _ in range(count)])


GROWERS: list[Callable[[World, int, int], None]] = [
    grow_residents_and_consultations, grow_applications, grow_audit, grow_collaboration]


def grow(world: World, count: int) -> None:
    for grower in GROWERS:
        grower(world, world.made, count)
    world.made += count


def query_counts(clients: dict[str, Client], pages) -> dict[tuple[str, str], int]:
    """Queries per page answered 200 (a page that needs more than a login, such as a
    kiosk's state, answers otherwise here and is left out)."""
    counts = {}
    for name, path, role in pages:
        client = clients[role]
        with CaptureQueriesContext(connection) as queries:
            response = (client.post(path, POSTED[name]) if name in POSTED
                        else client.get(path))
        if response.status_code == 200:
            counts[(name, role)] = len(queries.captured_queries)
    return counts


STAFF_LISTS = {"people:search", "review:inbox", "review:overdue", "review:print_queue",
               "audit:list", "consultations:inbox", "api:consultations_list"}


def test_the_list_pages_include_the_staff_lists():
    assert {name for name, _path, _role in list_pages()} >= STAFF_LISTS


def test_no_staff_page_queries_more_with_more_rows(make_staff):
    call_command("load_procedures", verbosity=0)
    staff = {role: make_staff(role, unit) for role, unit in ROLE_UNITS.items()}
    clients = {role: login(Client(), user) for role, user in staff.items()}
    world = World(staff)
    pages = list_pages()
    grow(world, SMALL)
    query_counts(clients, pages)  # first requests fill per-process caches
    small = query_counts(clients, pages)
    grow(world, LARGE - SMALL)
    large = query_counts(clients, pages)
    assert {name for name, _role in small.keys() & large.keys()} >= STAFF_LISTS
    grown = [f"{role} {name}: {small[key]} queries with {SMALL} rows, {large[key]} with "
             f"{LARGE}" for key in sorted(small.keys() & large.keys()) for name, role in [key]
             if large[key] > small[key]]
    assert not grown, "\n".join(grown)
