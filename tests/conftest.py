"""Shared fixtures: the real Setagaya organisation and staff of every role; the ``needs``
marker for outside programs (tests/tools.py) and the end-of-run line about missing ones."""

from __future__ import annotations

import signal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.core.management.commands import flush
from django.db.utils import OperationalError
from django.utils import translation

from madoguchi.accounts.models import Role
from madoguchi.accounts.services import staff_upsert
from madoguchi.organisation.models import District, Section
from tests import dbsettle, tools

PASSWORD = "correct-horse-battery-7"


def pytest_runtest_setup(item):
    """``@pytest.mark.needs("pdftoppm", "zbarimg")``: see tests/tools.py."""
    for marker in item.iter_markers("needs"):
        tools.needs(*marker.args)


# Fixtures that open a browser: a test using one is a browser test whatever its module says.
BROWSER_FIXTURES = frozenset({"chromium", "media_chromium", "new_page", "page", "media_page"})


def pytest_collection_modifyitems(items):
    """Mark every test that uses a browser fixture ``browser``: CI's second pass (PostgreSQL)
    deselects browser tests not marked ``per_database`` (ADR 0052), so the marker must not
    depend on a module remembering it."""
    for item in items:
        uses_browser = BROWSER_FIXTURES & set(getattr(item, "fixturenames", ()))
        if uses_browser and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter):
    stats = terminalreporter.stats
    failed = [*stats.get("failed", []), *stats.get("error", [])]
    terminalreporter.write_line(tools.summary(stats.get("skipped", []), failed))


@pytest.fixture(autouse=True)
def _signal_handlers_kept():
    """django-tasks' ``db_worker`` command, run in-process by some tests, installs handlers for
    SIGINT/SIGTERM/SIGQUIT that outlive it; pytest would then answer a stop signal by exiting
    from inside whatever test runs. Each test leaves the handlers as it found them."""
    names = [getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGQUIT")
             if hasattr(signal, name)]
    before = {number: signal.getsignal(number) for number in names}
    yield
    for number, handler in before.items():
        if signal.getsignal(number) is not handler:
            signal.signal(number, handler)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_booking_reference():
    """The booking path caches closed days, booths and section staff for a few seconds
    (scheduling.reference, ADR 0036): each test starts without what an earlier one read."""
    from madoguchi.scheduling import reference

    reference.clear()


@pytest.fixture(autouse=True)
def _japanese_first():
    """Every test starts in the site's language: a request in English made by an earlier
    test leaves English active in this thread (the locale middleware does not reset it)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def _flush_after_the_servers_settle():
    """A transactional test's flush runs while the live servers it talked to may still be
    writing (a socket closed at the test's end is handled after it). On PostgreSQL the
    TRUNCATE then deadlocks with the server's last write, the rows stay, and the next test
    fails on them. The flush waits for the other sessions on the test database to leave
    their transactions, and runs again if PostgreSQL still picks it as a deadlock victim
    (it runs in one transaction, so a failed try leaves nothing half-done). It empties only
    the tables a test wrote (``dbsettle.quick_flush``), the same end state in milliseconds."""
    handle = flush.Command.handle

    def settled_handle(self, **options):
        database = options.get("database") or "default"
        for attempt in range(5):
            dbsettle.wait_for_other_sessions(database)
            try:
                if options.get("reset_sequences") or not dbsettle.quick_flush(database):
                    return handle(self, **options)
                return None
            except (CommandError, OperationalError) as error:
                cause = error.__cause__ if isinstance(error, CommandError) else error
                if attempt == 4 or not dbsettle.is_deadlock(cause):
                    raise

    flush.Command.handle = settled_handle
    yield
    flush.Command.handle = handle


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the organisation once into the fresh test database."""
    with django_db_blocker.unblock():
        call_command("load_setagaya", verbosity=0)


@pytest.fixture
def setagaya(db):
    """The ward's organisation, loaded by the same command `make run` uses.

    Loaded once per session; reloaded after a transactional test has flushed the tables.
    """
    if not District.objects.exists():
        call_command("load_setagaya", verbosity=0)


@pytest.fixture
def make_staff(setagaya):
    """make_staff(role, unit_code=None, username=None) -> User with one membership."""
    counter = iter(range(1, 10_000))

    def make(role: str, unit_code: str | None = None, username: str | None = None):
        unit = Section.objects.get(code=unit_code) if unit_code else None
        name = username or f"{role}-{next(counter)}"
        return staff_upsert(username=name, display_name=name, password=PASSWORD,
                            role=role, unit=unit)

    return make


# One representative staff member per role, for permission matrices.
ROLE_UNITS: dict[str, str | None] = {
    Role.DISTRICT_STAFF: "setagaya/ikejiri/machizukuri-center",
    Role.CENTRE_HEAD: "setagaya/ikejiri/machizukuri-center",
    Role.SECTION_STAFF: "setagaya/hoken-fukushi",
    Role.SECTION_MANAGER: "setagaya/hoken-fukushi",
    Role.PARTNER_STAFF: "setagaya/ikejiri/anshin",
    Role.WARD_ADMIN: None,
    Role.AUDITOR: None,
}


@pytest.fixture
def staff_by_role(make_staff):
    return {role: make_staff(role, unit) for role, unit in ROLE_UNITS.items()}
