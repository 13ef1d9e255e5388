"""Links other contexts add to a guidance answer (a registry, filled in ``ready``).

Guidance knows what a question is about, not what other contexts can show about it: a
context that has a page a resident asking something should see (community: what the
resident's centre can lend) registers a provider, ``register_answer_link(fn)`` where
``fn(text, district) -> list[AnswerLink]`` looks at the question and the resident's
district (None when not chosen) and returns the links to add (usually none). Providers
must be cheap: they run on every answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from madoguchi.organisation.models import District


@dataclass(frozen=True)
class AnswerLink:
    label: str
    url: str


LinkProvider = Callable[[str, District | None], list[AnswerLink]]
_providers: list[LinkProvider] = []


def register_answer_link(provider: LinkProvider) -> LinkProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def links_for(text: str, district: District | None) -> list[AnswerLink]:
    found: list[AnswerLink] = []
    for provider in _providers:
        found.extend(provider(text, district))
    return found
