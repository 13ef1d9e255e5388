"""Upcoming activities of a topic in a district, offered by one context to another that
may not import it (ADR 0061): participation and disaster are beside each other in the
layers, yet a district's disaster page lists the district's coming 防災塾 (issue 19
item 6).

A context that holds activities registers a provider for a topic from its
``AppConfig.ready`` with ``register_provider(topic, provider)``;
``provider(district_id, limit)`` returns up to ``limit`` ``Activity`` rows from now on
(public ones only: the page showing them is public). The page that shows a topic calls
``upcoming(topic, district_id)``; core imports none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

# The topics, named here so that provider and page agree.
DISASTER_PREPAREDNESS = "disaster_preparedness"  # 防災塾, drills open to residents


@dataclass(frozen=True)
class Activity:
    title: str
    start: dt.datetime
    end: dt.datetime
    place: str
    url: str
    note: str = ""


Provider = Callable[[int, int], list[Activity]]

_providers: dict[str, dict[str, Provider]] = {}


def register_provider(topic: str, name: str, provider: Provider) -> None:
    """Register ``provider`` under ``name`` for ``topic`` (registering the same one again
    changes nothing; another under the same name is refused)."""
    found = _providers.setdefault(topic, {})
    if found.get(name, provider) is not provider:
        raise ValueError(f"activity provider {name!r} of {topic!r} is registered already")
    found[name] = provider


def upcoming(topic: str, district_id: int, *, limit: int = 5) -> list[Activity]:
    """The next ``limit`` activities of ``topic`` in the district from every provider, in
    time order."""
    rows = [row for provider in _providers.get(topic, {}).values()
            for row in provider(district_id, limit)]
    return sorted(rows, key=lambda row: (row.start, row.title))[:limit]
