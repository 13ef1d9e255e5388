"""Submissions at the same moment: one Idempotency-Key sent by 12 clients at once to the
real server makes one application; a portal draft submitted twice at once (a double
click, two tabs) gets one reference number."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from madoguchi.applications import services
from madoguchi.applications.models import Application, ApplicationEvent
from madoguchi.files.models import StoredFile
from madoguchi.procedures.models import Channel
from madoguchi.procedures.selectors import published_get
from tests.applications.conftest import PNG, kazei_answers, resident_actor
from tests.applications.live_server import (
    files_on_disk,
    portal_cookie,
    post_application,
    server,
    world,
)

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 12


@pytest.fixture
def files_dir(settings, tmp_path):
    settings.FILES_DIR = str(tmp_path / "files")
    return tmp_path / "files"


def _at_once(count: int, work) -> list:
    """Run ``work(i)`` in ``count`` threads released together; their results in order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - reported by the test
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def test_one_key_sent_by_many_clients_at_once_makes_one_application(files_dir, tmp_path):
    cookie = portal_cookie(world())
    with server(files_dir, tmp_path / "server.log") as (url, _process):
        answers = _at_once(CLIENTS, lambda i: post_application(url, cookie, "same-key-at-once"))
    assert all(not isinstance(a, Exception) for a in answers), answers
    statuses = sorted(a.status for a in answers)
    assert statuses == [200] * (CLIENTS - 1) + [201], [a.body for a in answers]
    assert len({a.body["public_id"] for a in answers}) == 1
    assert len({a.body["reference"] for a in answers}) == 1
    application = Application.objects.get()
    assert application.attachments.count() == 2 and StoredFile.objects.count() == 2
    # The losers' checked files were discarded: only the winner's two are on disk.
    assert files_on_disk(files_dir) == sorted(s.storage_key for s in StoredFile.objects.all())


def test_a_draft_submitted_twice_at_once_gets_one_reference(files_dir):
    from madoguchi.organisation.models import District

    identity = world()
    actor = resident_actor(identity)
    draft = services.draft_start(actor=actor, version=published_get("kazei-shomei"),
                                 channel=Channel.ONLINE,
                                 district=District.objects.get(code="ikejiri"))
    services.attachment_add(actor=actor, application=draft, code="identity", data=PNG,
                            name="card.png")

    def submit(i: int):
        return services.application_submit(actor=actor, application=draft,
                                           raw=kazei_answers(), idempotency_key=f"tab-{i}-key")

    results = _at_once(2, submit)
    assert all(isinstance(r, services.Submission) for r in results), results
    assert sorted(r.repeated for r in results) == [False, True]
    assert len({r.application.reference for r in results}) == 1
    draft.refresh_from_db()
    assert draft.reference == results[0].application.reference
    assert Application.objects.count() == 1
    assert ApplicationEvent.objects.filter(application=draft, kind="submitted").count() == 1
