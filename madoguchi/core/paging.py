"""Bounded pages of a list: every staff list shows at most ``PAGE_SIZE`` rows a page and
links to the previous and next page, without counting the whole list.

``offset_page`` is for lists bounded by their scope (a section's applications): the page
number travels in ``?page=`` and is capped so that no request walks far into a table.
Lists that grow without bound (the audit log) page by keyset instead (audit.selectors).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import QueryDict

PAGE_SIZE = 50
MAX_PAGE = 200  # 10,000 rows at most behind the first one shown


@dataclass
class Pager:
    """One page: its rows and the query strings of the pages before and after ("" when
    there is none)."""

    rows: list = field(default_factory=list)
    number: int = 1
    has_previous: bool = False
    has_next: bool = False
    previous_query: str = ""
    next_query: str = ""

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next


def page_number(query: QueryDict | None, param: str = "page") -> int:
    if query is None:
        return 1
    try:
        number = int(query.get(param, "1"))
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def with_param(query: QueryDict, param: str, value: str | None) -> str:
    """``query`` urlencoded with ``param`` set to ``value`` (removed when None)."""
    copy = query.copy()
    copy.pop(param, None)
    if value is not None:
        copy[param] = value
    return copy.urlencode()


def offset_page(rows: QuerySet | list, query: QueryDict | None = None, *,
                size: int = PAGE_SIZE, param: str = "page") -> Pager:
    """The page ``?page=`` names of the ordered ``rows`` (one query: a page and one row);
    the first page when ``query`` is None."""
    query = query if query is not None else QueryDict()
    number = page_number(query, param)
    start = (number - 1) * size
    found = list(rows[start:start + size + 1])
    pager = Pager(rows=found[:size], number=number)
    if number > 1:
        pager.has_previous = True
        pager.previous_query = with_param(query, param, str(number - 1) if number > 2 else None)
    if len(found) > size and number < MAX_PAGE:
        pager.has_next = True
        pager.next_query = with_param(query, param, str(number + 1))
    return pager
