"""Every role against every page and API endpoint that exists.

The URL patterns are discovered from the resolver: a new page or endpoint without a row
here fails ``test_every_url_is_in_the_matrix``. Writes are probed with an empty body, so an
allowed role gets a validation answer and nothing is created.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from madoguchi.accounts.models import Role
from madoguchi.audit.models import Action as AuditAction
from madoguchi.audit.models import AuditEntry
from madoguchi.core.models import CalendarException
from madoguchi.organisation.models import Booth, Section
from madoguchi.people import services as people_services
from madoguchi.people.models import ConsentPurpose, Resident
from tests.conftest import ROLE_UNITS
from tests.factories import ResidentFactory
from tests.helpers import login

ANON = "anonymous"
D, S, M, P, A, U = (Role.DISTRICT_STAFF, Role.SECTION_STAFF, Role.SECTION_MANAGER,
                    Role.PARTNER_STAFF, Role.WARD_ADMIN, Role.AUDITOR)
STAFF = (D, S, M, P, A, U)
EVERYONE = (ANON, *STAFF)


def expect(default: int, **by_role: int) -> dict[str, int]:
    """Status per role: ``default`` unless named (role values as keyword names)."""
    table = dict.fromkeys(EVERYONE, default)
    table.update(by_role)
    return table


def only(roles, ok: int, *, denied: int = 403, anon: int = 302, **extra) -> dict[str, int]:
    table = expect(denied, anonymous=anon, **extra)
    table.update(dict.fromkeys(roles, ok))
    return table


PUBLIC = expect(200)
STAFF_PAGE = expect(200, anonymous=302)
ADMIN_PAGE = only([A], 200)
ADMIN_POST = only([A], 200)  # the form comes back with its errors
CASEWORK = (D, S, M, P)

# url name -> (method, {role: expected status})
MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "core:index": ("get", PUBLIC),
    "core:healthz": ("get", PUBLIC),
    "set_language": ("post", expect(302)),
    "accounts:login": ("get", expect(302, anonymous=200)),
    "accounts:logout": ("get", expect(405)),
    # Staff who have not enrolled may enrol; an administrator already verified goes home.
    "accounts:two_factor": ("get", expect(200, anonymous=302, ward_admin=302)),
    "accounts:home": ("get", STAFF_PAGE),
    "organisation:overview": ("get", STAFF_PAGE),
    "organisation:district": ("get", STAFF_PAGE),
    "organisation:sections": ("get", STAFF_PAGE),
    "organisation:calendar": ("get", STAFF_PAGE),
    "organisation:region_create": ("get", ADMIN_PAGE),
    "organisation:region_edit": ("post", ADMIN_POST),
    "organisation:district_create": ("post", ADMIN_POST),
    "organisation:district_edit": ("get", ADMIN_PAGE),
    "organisation:centre_edit": ("post", ADMIN_POST),
    "organisation:booth_create": ("get", ADMIN_PAGE),
    "organisation:booth_edit": ("get", ADMIN_PAGE),
    "organisation:kind_create": ("post", ADMIN_POST),
    "organisation:kind_edit": ("get", ADMIN_PAGE),
    "organisation:section_create": ("get", ADMIN_PAGE),
    "organisation:section_edit": ("post", ADMIN_POST),
    "organisation:calendar_create": ("post", ADMIN_POST),
    "organisation:calendar_edit": ("get", ADMIN_PAGE),
    "organisation:calendar_delete": ("get", ADMIN_PAGE),  # asks to confirm
    "people:search": ("post", only(CASEWORK, 200)),
    "people:create": ("post", only([D], 200)),
    # A 池尻 resident: only 池尻's centre staff see them; other casework roles are not
    # told the record exists (404); roles without resident access get 403.
    "people:detail": ("get", only([D], 200, section_staff=404, section_manager=404,
                                  partner_staff=404)),
    "people:edit": ("post", only([D], 200, section_staff=404, section_manager=404,
                                 partner_staff=404)),
    "people:consent_give": ("post", only([D], 302, section_staff=404, section_manager=404,
                                         partner_staff=404)),
    "people:consent_withdraw": ("post", only([D], 302, section_staff=404,
                                             section_manager=404, partner_staff=404)),
    "audit:list": ("get", only([U], 200)),
    "audit:export": ("get", only([U], 200)),
    "api:openapi-json": ("get", PUBLIC),
    "api:openapi-view": ("get", PUBLIC),
    "api:api-root": ("get", expect(404)),
    "api:list_regions": ("get", PUBLIC),
    "api:list_districts": ("get", PUBLIC),
    "api:get_district": ("get", PUBLIC),
    "api:list_sections": ("get", PUBLIC),
    "api:residents_search": ("post", only(CASEWORK, 422, anon=401)),
    "api:resident_detail": ("get", only([D], 200, anon=401, section_staff=404,
                                        section_manager=404, partner_staff=404)),
    "api:resident_create": ("post", only([D], 422, anon=401)),
}


# Contexts add their rows in tests/<context>/permission_rows.py: ROWS (same shape as
# MATRIX) and objects(staff) -> {url name: reverse kwargs} for the records they point at.
ROW_MODULES = ["tests.scheduling.permission_rows", "tests.consultations.permission_rows",
               "tests.notifications.permission_rows", "tests.meetings.permission_rows",
               "tests.files.permission_rows", "tests.procedures.permission_rows",
               "tests.portal.permission_rows", "tests.guidance.permission_rows",
               "tests.applications.permission_rows_portal",
               "tests.applications.permission_rows_assist",
               "tests.applications.permission_rows_review",
               "tests.applications.permission_rows_api_bench",
               "tests.collaboration.permission_rows",
               "tests.assessment.permission_rows",
               "tests.participation.permission_rows",
               "tests.counter.permission_rows",
               "tests.community.permission_rows",
               "tests.disaster.permission_rows",
               "tests.opinions.permission_rows",
               "tests.selfbook.permission_rows",
               "tests.flyers.permission_rows",
               "tests.news.permission_rows",
               "tests.signage.permission_rows"]


def row_modules():
    import importlib
    import importlib.util

    return [importlib.import_module(name) for name in ROW_MODULES
            if importlib.util.find_spec(name) is not None]


for _module in row_modules():
    MATRIX.update(_module.ROWS)


def with_head(expected: dict[str, int]) -> dict[str, int]:
    """The centre head (of the district staff's centre) is district staff too (ADR 0058): a
    row that does not name the head expects of them what it expects of district staff,
    probed right after them."""
    if Role.CENTRE_HEAD in expected or D not in expected:
        return expected
    found: dict[str, int] = {}
    for role, status in expected.items():
        found[role] = status
        if role == D:
            found[Role.CENTRE_HEAD] = status
    return found


MATRIX = {name: (method, with_head(expected)) for name, (method, expected) in MATRIX.items()}


def discovered_patterns() -> dict[str, str]:
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = ":".join(filter(None, [namespace, pattern.namespace])) or None
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[name] = "/" + prefix + str(pattern.pattern)

    walk(get_resolver().url_patterns, "", None)
    return found


def test_every_url_is_in_the_matrix():
    found = discovered_patterns()
    assert set(found) == set(MATRIX), (
        f"not in the matrix: {sorted(set(found) - set(MATRIX))}; "
        f"in the matrix but gone: {sorted(set(MATRIX) - set(found))}")


@pytest.fixture
def world(make_staff):
    """Objects the URLs point at, and one logged-in client per role."""
    staff = {role: make_staff(role, unit) for role, unit in ROLE_UNITS.items()}
    resident = ResidentFactory(by=staff[D], needs_support=True)
    consent = people_services.consent_give(
        by=staff[D], resident=resident, purpose=ConsentPurpose.ONLINE_CONSULTATION,
        method="oral", note="", source="test")
    calendar = CalendarException.objects.create(date=dt.date(2027, 6, 1), kind="closed",
                                                reason="庁舎点検")
    values = {
        "region": "setagaya", "code": "ikejiri", "public_id": str(resident.public_id),
        "consent_id": consent.pk, "pk": None,
    }
    objects = {
        "organisation:region_edit": {"code": "setagaya"},
        "organisation:kind_edit": {"code": "hoken-fukushi"},
        "organisation:booth_edit": {"pk": Booth.objects.first().pk},
        "organisation:section_edit": {"pk": Section.objects.get(code="kazei").pk},
        "organisation:calendar_edit": {"pk": calendar.pk},
        "organisation:calendar_delete": {"pk": calendar.pk},
    }
    for module in row_modules():
        objects.update(module.objects(staff))
    clients = {ANON: Client()}
    for role, user in staff.items():
        clients[role] = login(Client(), user)
    return {"values": values, "objects": objects, "clients": clients, "resident": resident,
            "staff": staff}


def path_for(name: str, pattern: str, world) -> str:
    from django.urls import reverse

    kwargs = dict(world["objects"].get(name, {}))
    for key in ("region", "code", "public_id", "consent_id"):
        if f"<{key}>" in pattern or f":{key}>" in pattern:
            kwargs.setdefault(key, world["values"][key])
    return reverse(name, kwargs=kwargs or None)


# Rows whose answer shows a resident's personal data to a role that may see it. Each
# context declares its own in ``RESIDENT_DATA`` next to its ROWS; ``test_matrix`` checks
# that every such answer writes an audit entry, that a refused staff member leaves an
# ``denied`` entry, and that no row outside the set shows a resident's name (ADR 0022).
RESIDENT_DATA: set[str] = {"people:search", "people:detail", "people:edit",
                           "api:resident_detail"}
for _module in row_modules():
    RESIDENT_DATA |= set(getattr(_module, "RESIDENT_DATA", ()))

RECORD_KWARGS = ("public_id", "notice_id")


def resident_names() -> set[str]:
    """Every way a page could show one of the world's residents by name."""
    names = set()
    for r in Resident.objects.all():
        for family, given in ((r.family_name, r.given_name),
                              (r.family_name_kana, r.given_name_kana)):
            if family and given:
                names |= {f"{family} {given}", f"{family}\u3000{given}", f"{family}{given}"}
    return names


def shown_text(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    if response.get("Content-Type", "").startswith("application/json"):
        import json

        try:
            return json.dumps(response.json(), ensure_ascii=False)
        except ValueError:
            return ""
    return response.content.decode(errors="replace")


def send(client, name: str, method: str, path: str):
    if method == "get":
        return client.get(path)
    if name.startswith("api:"):
        return client.post(path, {}, content_type="application/json")
    return client.post(path, {})


def audited(user, since: int) -> bool:
    """Whether a read or write entry was written for ``user`` after entry ``since``."""
    return (AuditEntry.objects.filter(actor=user, pk__gt=since)
            .exclude(action=AuditAction.DENIED).exists())


def denial_recorded(user, path: str) -> bool:
    """Whether ``user`` has a denied entry for the record ``path`` names, from this request
    or (rate limit: one per actor, record and minute) an earlier one of this probe."""
    from django.urls import resolve

    kwargs = resolve(path).kwargs
    record_id = next(str(kwargs[key]) for key in RECORD_KWARGS if key in kwargs)
    return AuditEntry.objects.filter(actor=user, action=AuditAction.DENIED,
                                     record_id=record_id).exists()


def test_matrix(world, capsys):
    found = discovered_patterns()
    residents_before = Resident.objects.count()
    names = resident_names()
    failures, coverage, shown_rows = [], {}, set()
    for name, (method, expected) in MATRIX.items():
        path = path_for(name, found[name], world)
        is_record = any(f":{key}>" in found[name] for key in RECORD_KWARGS)
        for role, status in expected.items():
            client = world["clients"][role]
            user = world["staff"].get(role)
            since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = send(client, name, method, path)
            if response.status_code != status:
                failures.append(f"{role:16} {method.upper():4} {name}: "
                                f"{response.status_code} (expected {status})")
            if user is None:
                continue
            ok = 200 <= response.status_code < 300
            shows = ok and any(n in shown_text(response) for n in names)
            if shows and name not in RESIDENT_DATA:
                failures.append(f"{role:16} {method.upper():4} {name}: shows a resident's "
                                f"name but is not declared in RESIDENT_DATA")
            if name not in RESIDENT_DATA:
                continue
            # A record's page or answer always shows its resident; a list only when it
            # lists someone (an empty list writes no entry).
            if ok and (shows or (method == "get" and is_record)):
                shown_rows.add(name)
                coverage.setdefault(name, True)
                if not audited(user, since):
                    coverage[name] = False
                    failures.append(f"{role:16} {method.upper():4} {name}: shows resident "
                                    f"data without an audit entry")
            elif (response.status_code in (403, 404) and is_record
                  and not denial_recorded(user, path)):
                failures.append(f"{role:16} {method.upper():4} {name}: refused "
                                f"({response.status_code}) without a denied entry")
    covered = sum(coverage.values())
    with capsys.disabled():
        print(f"\naudit coverage: {covered}/{len(coverage)} resident-rendering URLs audit "
              f"every allowed read ({100 * covered / max(len(coverage), 1):.0f}%); "
              f"declared {len(RESIDENT_DATA)}, answered {len(shown_rows)}")
    assert not failures, "\n".join(failures)
    assert Resident.objects.count() == residents_before, "a probe created a resident"
