"""Signaling and chat of a video room over WebSocket (protocol: docs/meetings-protocol.md).

One consumer per browser connection. Lobby and call state live in the database
(``Attendance``), so that any number of ASGI workers sharing the Redis channel layer serve
one room. Logs carry codes and ids only, never names, SDP or chat text.

A connection's departure is recorded however it ends: on a clean close (``disconnect``),
and also when the consumer itself ends on an error (the channel layer's Redis went away),
when Channels never calls ``disconnect``. Pings keep the attendance's ``seen_at`` fresh; one
left open by a process that died is closed once it is silent (services.expire_silent).

``room``: the consumer and its browser's messages; ``events``: what the channel layer tells
a connection; ``_common``: close codes, groups, language. ``MeetingConsumer`` is
re-exported here for the routing.
"""

from madoguchi.meetings.consumers._common import CLOSE_DONE, CLOSE_REFUSED, scope_language
from madoguchi.meetings.consumers.room import MeetingConsumer

__all__ = ["CLOSE_DONE", "CLOSE_REFUSED", "MeetingConsumer", "scope_language"]
