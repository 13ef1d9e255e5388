"""The fault drill (issue 23 item 7; ADR 0025): a real worker process, supervised as
`bin/run` does, on a PostgreSQL of the drill's own, mailing residents through a real SMTP
server (aiosmtpd). The database is restarted under it, and the worker is killed with
SIGKILL in the middle of a send; each time every queued mail arrives exactly once and the
queue empties without anyone restarting anything. (Redis restarts: test_redis_drill.py.)
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections import Counter

import psycopg
import pytest

from tests.faults.conftest import manage, supervised_worker
from tests.notifications.conftest import Inbox, free_port

MAILS = 12
ENQUEUE = """
import datetime as dt
from django.utils import timezone
from madoguchi.portal.models import EmailLoginLink
from madoguchi.notifications.tasks import deliver
for i in range({count}):
    link = EmailLoginLink.objects.create(email=f"{prefix}-{{i}}@example.jp",
                                         expires_at=timezone.now() + dt.timedelta(hours=1))
    deliver.enqueue(kind="login_link", about={{"link": link.pk, "origin": "http://testserver",
                                              "language": "ja"}})
"""


class DrillInbox(Inbox):
    """The SMTP server. The mail to ``hold`` is kept waiting until ``release`` is set: at
    RCPT (``at="RCPT"``: before any data, then refused, so nothing is delivered) or at the
    end of DATA (``at="DATA"``: then accepted, so it is delivered)."""

    def __init__(self, *, hold: str, at: str):
        super().__init__()
        self.hold, self.at = hold, at
        self.held, self.release = threading.Event(), threading.Event()

    async def _wait_if_held(self, stage: str, recipients: list[str]) -> bool:
        if stage != self.at or self.hold not in recipients or self.held.is_set():
            return False
        self.held.set()
        await asyncio.to_thread(self.release.wait, 60)
        return True

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if await self._wait_if_held("RCPT", [address]):
            return "451 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        await self._wait_if_held("DATA", envelope.rcpt_tos)
        return await super().handle_DATA(server, session, envelope)

    def count(self, prefix: str) -> Counter:
        with self.lock:
            return Counter(to for rcpt in self.rcpt for to in rcpt if to.startswith(prefix))


@pytest.fixture
def inbox_server():
    from aiosmtpd.controller import Controller

    servers = []

    def start(**options) -> tuple[DrillInbox, int]:
        inbox, port = DrillInbox(**options), free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        servers.append((inbox, controller))
        return inbox, port

    yield start
    for inbox, controller in servers:
        inbox.release.set()
        controller.stop()


def worker_env(postgres, smtp_port: int) -> dict[str, str]:
    return {"DATABASE_URL": postgres.url, "TASKS_LEASE_SECONDS": "2",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), "DEBUG": "false"}


def query(postgres, sql: str, *args) -> list[tuple]:
    with psycopg.connect(postgres.url.replace("postgres://", "postgresql://"),
                         autocommit=True) as connection:
        return connection.execute(sql, args).fetchall()


def task_states(postgres, prefix: str) -> Counter:
    rows = query(postgres, """
        SELECT t.status FROM django_tasks_database_dbtaskresult t
        JOIN portal_emailloginlink l ON l.id = (t.args_kwargs->'kwargs'->'about'->>'link')::int
        WHERE l.email LIKE %s""", f"{prefix}-%")
    return Counter(status for (status,) in rows)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout}s: {what}")


def worker_pids(postgres) -> list[int]:
    return [pid for (pid,) in query(postgres, "SELECT pid FROM core_workerbeat")]


def assert_each_delivered_once(inbox: DrillInbox, postgres, prefix: str) -> None:
    wait_until(lambda: task_states(postgres, prefix) == Counter(SUCCESSFUL=MAILS), 60,
               f"all {MAILS} tasks successful (now {task_states(postgres, prefix)})")
    expected = Counter({f"{prefix}-{i}@example.jp": 1 for i in range(MAILS)})
    assert inbox.count(prefix) == expected
    sent = query(postgres, "SELECT count(*) FROM portal_emailloginlink "
                           "WHERE email LIKE %s AND sent_at IS NOT NULL "
                           "AND token_hash <> ''", f"{prefix}-%")
    assert sent == [(MAILS,)]


def test_the_worker_keeps_running_across_a_database_restart(postgres, inbox_server, tmp_path):
    """The database stops while a mail is being sent; the mail server accepts it while the
    database is down, so its task cannot commit: it must neither be lost nor sent again."""
    inbox, port = inbox_server(hold="restart-3@example.jp", at="DATA")
    manage("shell", "-c", ENQUEUE.format(count=MAILS, prefix="restart"),
           DATABASE_URL=postgres.url)
    log = tmp_path / "worker.log"
    with supervised_worker(log, **worker_env(postgres, port)):
        assert inbox.held.wait(60), "the worker never reached the held mail"
        [pid] = worker_pids(postgres)
        postgres.stop()
        inbox.release.set()
        time.sleep(3)
        postgres.start()
        assert_each_delivered_once(inbox, postgres, "restart")
        assert worker_pids(postgres) == [pid], "the worker was restarted"
        os.kill(pid, 0)  # the same process is still alive
    # The held mail's task ran again after the outage and recorded the sent mail instead of
    # sending it twice.
    assert query(postgres, """
        SELECT t.return_value #>> '{}' FROM django_tasks_database_dbtaskresult t
        JOIN portal_emailloginlink l ON l.id = (t.args_kwargs->'kwargs'->'about'->>'link')::int
        WHERE l.email = 'restart-3@example.jp'""") == [("skipped: already sent",)]
    text = log.read_text()
    assert "interrupted by the database" in text and "supervise:" not in text


def test_a_worker_killed_mid_send_is_replaced_and_its_task_runs_again_once(
        postgres, inbox_server, tmp_path):
    inbox, port = inbox_server(hold="killed-5@example.jp", at="RCPT")
    manage("shell", "-c", ENQUEUE.format(count=MAILS, prefix="killed"),
           DATABASE_URL=postgres.url)
    log = tmp_path / "worker.log"
    with supervised_worker(log, **worker_env(postgres, port)) as supervisor:
        assert inbox.held.wait(60), "the worker never reached the held mail"
        [pid] = worker_pids(postgres)
        os.kill(pid, signal.SIGKILL)
        inbox.release.set()
        assert task_states(postgres, "killed")["RUNNING"] == 1
        assert_each_delivered_once(inbox, postgres, "killed")
        assert supervisor.poll() is None
        [new_pid] = worker_pids(postgres)
        assert new_pid != pid
    text = log.read_text()
    assert "supervise:" in text and "taken back" in text
