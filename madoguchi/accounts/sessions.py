"""The staff session store (``SESSION_ENGINE``): Django's database store that skips a save
which would only push the expiry forward by less than ``REFRESH_AFTER`` seconds.

``SESSION_SAVE_EVERY_REQUEST`` keeps the idle timeout (the session ends
``SESSION_COOKIE_AGE`` seconds after the last request). Saving on every request costs a
transaction (an UPDATE and a commit) per request; a phone sending status batches, or a page
polling, paid it each time. A session whose data did not change is now written only when
its row has lived ``REFRESH_AFTER`` seconds (at most half the idle timeout) since the last
write, so the session may end up to that much early, never late (ADR 0065).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends import db
from django.utils import timezone

REFRESH_AFTER = dt.timedelta(seconds=60)


class SessionStore(db.SessionStore):
    _expire_date: dt.datetime | None = None

    def _get_session_from_db(self):
        found = super()._get_session_from_db()
        self._expire_date = found.expire_date if found is not None else None
        return found

    def _fresh(self) -> bool:
        """Whether the row was written less than ``REFRESH_AFTER`` ago with this expiry."""
        if self._expire_date is None:
            return False
        age = dt.timedelta(seconds=self.get_expiry_age())
        return self._expire_date - timezone.now() > age - min(REFRESH_AFTER, age / 2)

    def save(self, must_create: bool = False) -> None:
        if not must_create and self._session_key and not self.modified:
            self._get_session()  # loads the row (and its expiry) if nothing read it yet
            if self._fresh():
                return
        super().save(must_create=must_create)
        self._expire_date = None
