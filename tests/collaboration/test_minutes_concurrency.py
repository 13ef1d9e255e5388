"""Two people save the same minutes at the same moment: exactly one save wins, the other is
refused with the winner's text (no silent overwrite). Real threads and connections; on
PostgreSQL when DATABASE_URL names it (SQLite serialises the writers)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from madoguchi.collaboration import services
from madoguchi.collaboration.models import Meeting
from tests.collaboration.conftest import meeting_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_minutes_saves_let_exactly_one_win(four):
    meeting = meeting_in()
    writers = [four["centre"], four["anshin"], four["shakyo"], four["jidokan"]]
    barrier = threading.Barrier(len(writers))
    outcomes: dict[str, str] = {}

    def save(user) -> None:
        try:
            barrier.wait(timeout=10)
            services.minutes_save(meeting=meeting, text=f"{user.username}の議事録", version=0,
                                  by=user)
            outcomes[user.username] = "saved"
        except services.MinutesConflict as conflict:
            outcomes[user.username] = "refused:" + conflict.theirs
        except Exception as error:  # e.g. SQLite "database is locked": a refusal too
            outcomes[user.username] = f"error:{type(error).__name__}"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(u,)) for u in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    saved = [name for name, outcome in outcomes.items() if outcome == "saved"]
    assert len(saved) == 1, outcomes
    final = Meeting.objects.get(pk=meeting.pk)
    assert final.minutes == f"{saved[0]}の議事録" and final.minutes_version == 1
    refused = [o for o in outcomes.values() if o.startswith("refused:")]
    if connection.vendor == "postgresql":
        assert len(refused) == len(writers) - 1
    assert all(o == f"refused:{final.minutes}" for o in refused)
