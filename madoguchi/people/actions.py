"""Actions other contexts add to a resident's page (a registry people owns).

people sits low in the layers and links to nothing above it by import. A context that
offers something to do for the resident on the page (print the flyer of the resident's
district, …) registers a **provider** in its ``AppConfig.ready``::

    people.actions.register("flyers.print", provider)

``provider(user, resident)`` returns a ``ResidentAction`` (a label and an address) or
``None`` when it has nothing for this user or resident. Providers get the resident the page
has already read (and audited): they must not read more of the resident's personal data
nor put it in the address (names never travel in URLs); a provider that needs more reads
it through ``people.selectors`` with its own audit entry when the user follows the link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.people.models import Resident


@dataclass(frozen=True)
class ResidentAction:
    label: str
    url: str
    primary: bool = False


Provider = Callable[["User", "Resident"], "ResidentAction | None"]

_PROVIDERS: dict[str, Provider] = {}


def register(code: str, provider: Provider) -> None:
    """Register (or replace, for reloads) the provider ``code``."""
    _PROVIDERS[code] = provider


def for_resident(user: User, resident: Resident) -> list[ResidentAction]:
    """The registered actions for ``resident`` that ``user`` is offered, by code."""
    found = (_PROVIDERS[code](user, resident) for code in sorted(_PROVIDERS))
    return [action for action in found if action is not None]
