"""Linking applications made at the centre or the counter (for a resident of the ward's
records) to the resident's portal identity, so that they, their status and their notices
appear on 「わたしの申請」 (ADR 0027).

Two ways, both only for an identity whose provider verified a name and a birth date (the
My Number Card login's 基本4情報):

- at login (``link_on_login``): the verified name and birth date equal the record's (names
  compared folded: width, spaces and variant kanji such as 髙/高), and so does the address
  when the provider gave one; then every submitted application of that resident that has no
  portal identity yet is linked. More than one matching record: nothing is linked (the
  centre links with the code).
- at the centre (``link_with_code``): the resident shows the one-time code of their portal,
  the clerk enters it on the application; the verified name and birth date must equal the
  application's resident record, else it is refused and the refusal is audited.

Each link is an audit entry (``update`` of the application's ``identity``).
"""

from __future__ import annotations

import logging

from django.db import transaction

from madoguchi.applications.models import DRAFT, Application
from madoguchi.audit.models import Action as AuditAction
from madoguchi.audit.services import record
from madoguchi.core.text import fold
from madoguchi.people.models import Resident
from madoguchi.portal import linkcodes
from madoguchi.portal.models import PortalIdentity

logger = logging.getLogger("madoguchi.applications")

PREFECTURE = fold("東京都")


class LinkRefused(Exception):
    """The application cannot be linked; ``reason`` is a code for the log and the test."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _address_key(text: str) -> str:
    key = fold(text)
    return key[len(PREFECTURE):] if key.startswith(PREFECTURE) else key


def same_person(identity: PortalIdentity, resident: Resident, address: str = "") -> bool:
    """The identity's verified name and birth date (and address, when given) are the
    record's."""
    if not linkcodes.can_link(identity) or identity.birth_date != resident.birth_date:
        return False
    if fold(identity.display_name) != fold(f"{resident.family_name}{resident.given_name}"):
        return False
    return not address or _address_key(address) == _address_key(resident.address)


def _audit(*, application: Application, identity: PortalIdentity, source: str, user=None,
           refused: bool = False) -> None:
    resident_ref = str(application.resident.public_id) if application.resident_id else ""
    who = {"actor": user} if user is not None else {"actor": None,
                                                    "portal_ref": str(identity.public_id)}
    record(action=AuditAction.DENIED if refused else AuditAction.UPDATE,
           record_type="application", record_id=str(application.public_id),
           resident_ref=resident_ref, source=source, fields=["identity"], **who)


def link_on_login(*, identity: PortalIdentity, address: str, source: str) -> int:
    """Link the applications made for the record this verified identity matches; returns
    how many were linked."""
    if not linkcodes.can_link(identity):
        return 0
    residents = [resident for resident in Resident.objects.filter(
        birth_date=identity.birth_date, name_key=fold(identity.display_name))
        if same_person(identity, resident, address)]
    if len(residents) != 1:
        return 0
    with transaction.atomic():
        rows = list(Application.objects.select_for_update(of=("self",)).select_related("resident")
                    .filter(resident=residents[0], identity__isnull=True)
                    .exclude(status=DRAFT))
        for application in rows:
            application.identity = identity
            application.save(update_fields=["identity", "updated_at"])
            _audit(application=application, identity=identity, source=source)
    if rows:
        logger.info("linked %d application(s) to identity %s at login", len(rows),
                    identity.public_id)
    return len(rows)


def link_with_code(*, application: Application, code: str, user, source: str
                   ) -> PortalIdentity:
    """Link ``application`` to the identity whose portal shows ``code``. Raises
    LinkRefused: code unknown/used/expired, application without a resident record or
    already linked, or the verified name or birth date differs (audited as denied)."""
    refused_identity = None
    try:
        with transaction.atomic():
            locked = (Application.objects.select_for_update(of=("self",)).select_related("resident")
                      .get(pk=application.pk))
            try:
                identity = linkcodes.take(code=code)
            except linkcodes.CodeRefused:
                raise LinkRefused("code") from None
            if locked.resident_id is None or locked.status == DRAFT:
                raise LinkRefused("no record")
            if locked.identity_id is not None:
                raise LinkRefused("same" if locked.identity_id == identity.pk else "linked")
            if not same_person(identity, locked.resident):
                refused_identity = identity
                raise LinkRefused("different person")
            locked.identity = identity
            locked.save(update_fields=["identity", "updated_at"])
            _audit(application=locked, identity=identity, source=source, user=user)
    except LinkRefused:
        if refused_identity is not None:  # kept although the link was rolled back
            _audit(application=application, identity=refused_identity, source=source,
                   user=user, refused=True)
            logger.warning("link of application %s to identity %s refused: different "
                           "person", application.public_id, refused_identity.public_id)
        raise
    return identity
