"""English pages are English: every page the URL resolver knows, fetched in English by
every role that may see it (and by a resident logged in to the portal), shows no Japanese
text but what people typed themselves (residents' names and addresses, notes, answers).

The pages and the objects they point at are the permission matrix's
(tests/test_permission_matrix.py), so a new page is walked as soon as it has its row there.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from tests.applications.conftest import portal_client
from tests.test_permission_matrix import MATRIX, discovered_patterns, path_for
from tests.test_permission_matrix import world as world  # noqa: F401, PLC0414 (fixture)

# A word with kana or kanji in it (Japanese punctuation alone is not counted).
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# Spaces and punctuation between words (a name is shown as 池尻 花子（イケジリ ハナコ）).
WORD_BREAKS = re.compile(r"[\s()（）「」『』【】、。・:：,.;!?“”\"'\[\]{}〜～/]+")
# The language switch names each language in itself.
OWN_NAMES = ("日本語",)
# Records whose text people type (residents, staff notes, answers; the guidance knowledge
# base's questions, answers and synonyms, which are Japanese search data): shown as typed.
TYPED_BY_PEOPLE = ("people", "portal", "consultations", "applications", "meetings",
                   "notifications", "audit", "files", "scheduling", "core", "accounts",
                   "guidance", "collaboration", "assessment", "participation",
                   "community", "disaster", "opinions", "news")
SHOWN_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label", "aria-description")


class VisibleText(HTMLParser):
    """The text a reader meets: text outside script/style, and labelling attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        # A textarea holds the value of the record being edited (data, not page text).
        if tag in ("script", "style", "template", "textarea"):
            self._hidden += 1
        values = dict(attrs)
        self.parts += [values[a] for a in SHOWN_ATTRIBUTES if values.get(a)]
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "textarea") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data)


def typed_entries() -> str:
    """Every text people typed into the records of this test, one a line."""
    found: set[str] = set(OWN_NAMES)
    for model in apps.get_models():
        if model._meta.app_label not in TYPED_BY_PEOPLE:
            continue
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField)]
        for row in model.objects.values_list(*fields):
            found.update(value for value in row if isinstance(value, str) and value.strip())
    # Postal addresses are written in Japanese, for the post, on English pages too
    # (marked lang="ja"): the centres' and branch offices' from the organisation data.
    from madoguchi.organisation.models import DistrictCentre, Region

    for model in (DistrictCentre, Region):
        found.update(model.objects.exclude(address="").values_list("address", flat=True))
    found.update(ward_documents())
    return "\n".join(sorted(found))


def ward_documents() -> set[str]:
    """What the ward writes in Japanese for its own use and its Japanese documents: a
    procedure's review checklist, internal notes and notice templates (with the standard
    appeal clause), shown to staff as written."""
    from madoguchi.procedures.definition import DEFAULT_APPEAL
    from madoguchi.procedures.models import ProcedureVersion

    texts = {DEFAULT_APPEAL}
    for version in ProcedureVersion.objects.all():
        texts.update(str(item) for item in version.checklist)
        texts.add(version.staff_note)
        texts.update(a.get("staff_note", "") for a in version.attachments)
        for notice in version.notices:
            texts.update(str(value) for value in notice.values())
    return texts


def japanese_on(html: str, entries: str) -> set[str]:
    """The words of the page with Japanese in them that nobody typed."""
    parser = VisibleText()
    parser.feed(html)
    words = {word for part in parser.parts for word in WORD_BREAKS.split(part)}
    return {word for word in words if JAPANESE.search(word) and word not in entries}


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def english_pages(world, identity):
    """(url name, visitor) -> the Japanese words left on that page in English."""
    found = discovered_patterns()
    visitors = {role: english(client) for role, client in world["clients"].items()}
    visitors["resident"] = english(portal_client(identity))
    entries = typed_entries()
    pages: dict[tuple[str, str], set[str]] = {}
    for name in MATRIX:
        if name.startswith("api:"):
            continue
        path = path_for(name, found[name], world)
        for who, client in visitors.items():
            response = client.get(path)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                pages[name, who] = japanese_on(response.content.decode(), entries)
    return pages


def test_every_page_in_english_has_no_untranslated_japanese(world, strong_identity):
    pages = english_pages(world, strong_identity)
    assert len(pages) > 50, f"only {len(pages)} pages answered: the walk is broken"
    left = {}
    for (name, who), words in sorted(pages.items()):
        if words:
            left.setdefault(name, (who, sorted(words)[:12]))
    assert not left, "Japanese on English pages:\n" + "\n".join(
        f"{name} ({who}): {' '.join(words)}" for name, (who, words) in left.items())


@pytest.fixture
def strong_identity(db):
    from madoguchi.portal.models import Level, Method, PortalIdentity

    return PortalIdentity.objects.create(method=Method.OIDC, level=Level.STRONG,
                                         issuer="https://idp.example.jp", subject="sub-en",
                                         display_name="池尻 花子")
