"""The task worker that outlives a database outage, beats, and takes back lost tasks.

django-tasks-db's ``Worker`` claims a task inside a transaction it opens outside its own
retry, so one lost connection ends the process; a task left RUNNING by a killed worker
stays RUNNING for ever. This subclass (ADR 0025):

- polls in its own loop that catches connection errors, closes the broken connections and
  tries again with a growing pause (0.5 s doubling to 30 s), without exiting;
- keeps a ``WorkerBeat`` row: ``seen_at`` from a thread every few seconds (also while a
  long task runs), ``polled_at`` each time it looks for work; deleted on a clean stop;
- takes back, every few seconds, the RUNNING tasks whose worker was not seen for a lease
  (``TASKS_LEASE_SECONDS``): they run again (at least once); after ``MAX_ATTEMPTS`` claims
  such a task fails instead, so that a task that kills its worker does not loop for ever;
- puts a task back in the queue when it fails because the database went away mid-task,
  instead of recording a failure that was the outage's, not the task's.

Outside effects are made exactly once by the tasks themselves (core.effects).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import random
import socket
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connections
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from madoguchi.core.models import WorkerBeat

logger = logging.getLogger("madoguchi.worker")

OUTAGE_ERRORS = (OperationalError, InterfaceError)
MAX_ATTEMPTS = 5
FIRST_PAUSE, LONGEST_PAUSE = 0.5, 30.0
LEASE_EXPIRED = "madoguchi.core.worker.LeaseExpired"


class LeaseExpired(Exception):
    """A task's worker stopped beating ``MAX_ATTEMPTS`` times while running it."""


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.TASKS_LEASE_SECONDS)


def beat_every() -> float:
    """Seconds between heartbeats: six in a lease."""
    return max(settings.TASKS_LEASE_SECONDS / 6, 0.2)


def close_connections() -> None:
    """Drop this thread's database connections (a broken one cannot be reused)."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(Exception):  # a dead connection may refuse to close
            connection.close()


def reclaim_expired() -> dict[str, int]:
    """Put back in the queue the RUNNING tasks whose worker was not seen for a lease (or,
    after MAX_ATTEMPTS claims, fail them), and forget the dead workers' beats."""
    cutoff = timezone.now() - lease()
    alive = set(WorkerBeat.objects.filter(seen_at__gte=cutoff)
                .values_list("worker_id", flat=True))
    counts = {"requeued": 0, "failed": 0}
    running = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    with exclusive_transaction(running.db):
        for row in running.select_for_update(skip_locked=True):
            if row.worker_ids and row.worker_ids[-1] in alive:
                continue
            if len(row.worker_ids) >= MAX_ATTEMPTS:
                row.set_failed(LeaseExpired(
                    f"no worker finished the task in {len(row.worker_ids)} attempts"))
                counts["failed"] += 1
                logger.error("task %s failed: its worker died %s times", row.id,
                             len(row.worker_ids))
            else:
                requeue(row.id)
                counts["requeued"] += 1
                logger.warning("task %s taken back: its worker was not seen for %s s",
                               row.id, settings.TASKS_LEASE_SECONDS)
        WorkerBeat.objects.filter(seen_at__lt=cutoff).delete()
    return counts


def requeue(task_id) -> None:
    DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None)


class Heart:
    """Beats for one worker from a thread with its own database connection."""

    def __init__(self, worker_id: str):
        self.worker_id = worker_id
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def beat(self, *, polled: bool = False) -> None:
        now = timezone.now()
        fields = {"seen_at": now, **({"polled_at": now} if polled else {})}
        if not WorkerBeat.objects.filter(pk=self.worker_id).update(**fields):
            # First beat, or another worker forgot this one during a long outage.
            WorkerBeat.objects.update_or_create(
                pk=self.worker_id,
                defaults={"host": socket.gethostname()[:255], "pid": os.getpid(),
                          "started_at": now, "seen_at": now, "polled_at": now})

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="worker-heartbeat",
                                       daemon=True)
        self.thread.start()

    def _run(self) -> None:
        failing = False
        try:
            while not self.stopped.wait(beat_every()):
                try:
                    self.beat()
                    failing = False
                except Exception as error:  # noqa: BLE001 - keep beating after an outage
                    if not failing:
                        logger.warning("heartbeat failed: %s", type(error).__name__)
                    failing = True
                    close_connections()
        finally:
            close_connections()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=5)
        with contextlib.suppress(*OUTAGE_ERRORS):  # else it goes stale and is forgotten
            WorkerBeat.objects.filter(pk=self.worker_id).delete()


class ResilientWorker(Worker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.heart = Heart(self.worker_id)
        self.pause = FIRST_PAUSE
        self.last_beat = 0.0
        self.last_reclaim = 0.0

    def run(self) -> None:
        logger.info("starting worker %s (queues %s, lease %s s)", self.worker_id,
                    ",".join(self.queue_names), settings.TASKS_LEASE_SECONDS)
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # spread workers that start together
        if not self.batch:
            self.heart.start()
        try:
            self._loop()
        finally:
            self.heart.stop()

    def _loop(self) -> None:
        while self.running:
            try:
                task_result = self._poll()
            except OUTAGE_ERRORS as error:
                self._outage(error)
                continue
            if task_result is False:  # the database is locked (SQLite): look again
                time.sleep(self.interval)
                continue
            self.pause = FIRST_PAUSE
            if task_result is not None:
                self.run_task(task_result)
            elif self.batch:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)

    def _outage(self, error: Exception) -> None:
        logger.warning("database unavailable (%s): next try in %.1f s",
                       type(error).__name__, self.pause)
        close_connections()
        if self.running:
            time.sleep(self.pause)
        self.pause = min(self.pause * 2, LONGEST_PAUSE)

    def _poll(self) -> DBTaskResult | None | bool:
        """Beat, take back expired leases now and then, and claim the next task: the task,
        None when there is none, False when the database is locked."""
        close_old_connections()
        now = time.monotonic()
        if now - self.last_beat >= beat_every():
            self.heart.beat(polled=True)
            self.last_beat = now
        if now - self.last_reclaim >= beat_every() * 2:
            reclaim_expired()
            self.last_reclaim = now
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
            except OperationalError as error:
                if is_locked_database_exception(error):
                    return False
                raise
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """django-tasks-db's ``run_task``, except that a task interrupted by a database
        outage goes back to the queue (and this worker waits for the database) instead of
        being recorded as failed."""
        self.running_task = True
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result),
                                  *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except OUTAGE_ERRORS as error:
            self._requeue_after_outage(db_task_result, error)
        except BaseException as error:  # noqa: BLE001 - recorded on the task, as the library does
            try:
                db_task_result.set_failed(error)
            except OUTAGE_ERRORS as outage:
                self._requeue_after_outage(db_task_result, outage)
                return
            task_finished.send(sender=type(db_task_result.task.get_backend()),
                               task_result=db_task_result.task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _requeue_after_outage(self, db_task_result: DBTaskResult, error: Exception) -> None:
        logger.warning("task %s interrupted by the database (%s): it will run again",
                       db_task_result.id, type(error).__name__)
        while True:
            self._outage(error)
            try:
                requeue(db_task_result.id)
                return
            except OUTAGE_ERRORS as again:
                if not self.running:
                    return  # stopping: the lease gives the task back later
                error = again
