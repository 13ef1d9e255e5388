"""An entry created without a code gets ``<kind>-NNN`` from the service: one more than the
highest number of its kind, never a code already given, also when staff add entries to
one kind at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from madoguchi.guidance import services
from madoguchi.guidance.models import Entry
from madoguchi.organisation.models import SectionKind, Tier

AT_ONCE = 4


def _kind() -> SectionKind:
    return SectionKind.objects.create(code="code-test", name="試験課", tier=Tier.HEAD)


def _create(kind: SectionKind, code: str = "") -> Entry:
    return services.entry_create(section_kind=kind, code=code, question="転入の届出",
                                 answer="窓口で届け出ます。", by=None)


@pytest.mark.django_db
def test_codes_follow_the_highest_number_of_the_kind():
    kind = _kind()
    assert [_create(kind).code for _ in range(3)] == [
        "code-test-001", "code-test-002", "code-test-003"]
    _create(kind, code="code-test-007")
    _create(kind, code="code-test-special")  # not of the numbered form: ignored
    assert _create(kind).code == "code-test-008"


@pytest.mark.django_db
def test_a_code_is_not_given_twice_after_an_entry_went():
    """Entries with a history are never deleted; one without (made outside the services)
    may be. Counting the kind's entries would then give an existing code again."""
    kind = _kind()
    first, second = _create(kind), _create(kind)
    Entry.objects.create(code="code-test-003", section_kind=kind, question="q", answer="a")
    Entry.objects.filter(code="code-test-003").delete()
    Entry.objects.create(code="code-test-004", section_kind=kind, question="q", answer="a")
    third = _create(kind)
    assert third.code == "code-test-005"
    assert len({first.code, second.code, third.code, "code-test-004"}) == 4


@pytest.mark.django_db(transaction=True)
def test_entries_created_at_once_get_distinct_codes():
    kind = _kind()
    barrier = threading.Barrier(AT_ONCE)
    results: list = [None] * AT_ONCE

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = _create(kind).code
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == [f"code-test-{n:03d}" for n in range(1, AT_ONCE + 1)], results
    assert Entry.objects.filter(section_kind=kind).count() == AT_ONCE
