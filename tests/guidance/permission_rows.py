"""Guidance rows of the permission matrix (tests/test_permission_matrix.py).

The residents' page, its feedback and the JSON API are public. Every staff member may ask
"who handles what". Centre staff (D), section staff (S) and managers (M) of 世田谷
保健福祉課, and ward administrators (A) write entries; partner staff (P) and auditors (U)
do not. The entry probed is a 保健福祉課 draft, which all four writers may change; the
published-entry and publishing rules are tested in tests/guidance/test_pages_staff.py.
Synonyms belong to ward administrators only.
"""

from __future__ import annotations

ANON, D, S, M, P, A, U = ("anonymous", "district_staff", "section_staff", "section_manager",
                          "partner_staff", "ward_admin", "auditor")
EVERYONE = (ANON, D, S, M, P, A, U)
WRITERS = (D, S, M, A)


def _table(ok: int, allowed=WRITERS, *, denied: int = 403, anon: int = 302) -> dict[str, int]:
    table = dict.fromkeys(EVERYONE, denied)
    table[ANON] = anon
    table.update(dict.fromkeys(allowed, ok))
    return table


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "guidance:guide": ("get", dict.fromkeys(EVERYONE, 200)),
    # No answer chosen: nothing is recorded and the page comes back.
    "guidance:feedback": ("post", dict.fromkeys(EVERYONE, 200)),
    "guidance:staff_search": ("post", _table(200, (D, S, M, P, A, U))),
    "guidance:entries": ("get", _table(200)),
    "guidance:entry_create": ("post", _table(200)),  # the form comes back with its errors
    "guidance:entry": ("get", _table(200)),
    "guidance:entry_edit": ("post", _table(200)),
    "guidance:entry_move": ("post", _table(302)),  # no move chosen: back to the entry
    "guidance:synonyms": ("get", _table(200, (A,))),
    "guidance:synonym_create": ("post", _table(200, (A,))),
    "guidance:synonym_edit": ("get", _table(200, (A,))),
    "guidance:synonym_delete": ("get", _table(200, (A,))),  # asks to confirm
    "guidance:learning": ("get", _table(200)),
    "guidance:learning_dismiss": ("post", _table(302)),  # nothing named: back to the list
    "api:guidance": ("get", dict.fromkeys(EVERYONE, 200)),
    "api:guidance_search": ("post", dict.fromkeys(EVERYONE, 200)),  # answers with a problem
}


def objects(staff) -> dict[str, dict]:
    from madoguchi.guidance import services
    from madoguchi.guidance.models import Synonym
    from madoguchi.organisation.models import SectionKind

    draft = services.entry_create(
        code="matrix-draft", section_kind=SectionKind.objects.get(code="hoken-fukushi"),
        question="権限の確認のための下書きです", answer="下書きの回答です。", by=staff[S])
    synonym = Synonym.objects.create(canonical="国民健康保険", variants=["国保"])
    return {
        "guidance:entry": {"code": draft.code},
        "guidance:entry_edit": {"code": draft.code},
        "guidance:entry_move": {"code": draft.code},
        "guidance:synonym_edit": {"pk": synonym.pk},
        "guidance:synonym_delete": {"pk": synonym.pk},
    }
