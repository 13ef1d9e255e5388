"""The sockets' database trips (madoguchi/meetings/db.py): one connection serves a burst of
trips, and none stays open once the burst is over."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync
from django.db import connection

from madoguchi.accounts.models import User
from madoguchi.meetings.db import socket_db

pytestmark = pytest.mark.django_db(transaction=True)


def _trip() -> int:
    """A query, then the identity of the DB-API connection that ran it."""
    User.objects.exists()
    return id(connection.connection)


def test_a_burst_of_trips_shares_one_connection_and_closes_it_after():
    async def burst():
        return await asyncio.gather(*(socket_db(_trip)() for _ in range(5)))

    used = async_to_sync(burst)()
    assert len(set(used)) == 1  # opened once for the five
    assert connection.connection is None  # closed when nobody else was waiting


def test_a_lone_trip_closes_its_connection_as_before():
    async def one():
        return await socket_db(_trip)()

    first = async_to_sync(one)()
    assert connection.connection is None
    second = async_to_sync(one)()
    assert connection.connection is None
    assert first and second


def test_a_broken_connection_is_not_kept():
    def broken() -> None:
        User.objects.exists()
        connection.errors_occurred = True
        connection.connection.close()  # the server went away under it

    async def burst():
        return await asyncio.gather(socket_db(broken)(), socket_db(_trip)())

    _, after = async_to_sync(burst)()
    assert after  # the next trip ran on a new connection
    assert connection.connection is None
