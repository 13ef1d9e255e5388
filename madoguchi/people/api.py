"""Residents in the JSON API. Same policy, validation and audit as the pages: the
endpoints call the same selectors and services. Names go in POST bodies, never in URLs."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from madoguchi.accounts.policy import Action
from madoguchi.api.auth import StaffSession
from madoguchi.api.errors import FORBIDDEN, invalid
from madoguchi.core.problem import Problem
from madoguchi.people import selectors, services
from madoguchi.people.models import NOTES_MAX, Consent, Language, Resident

NOT_FOUND = "区民が見つかりません。"

router = Router(tags=["residents"])


class District(Schema):
    region: str
    district: str
    name: str


class ResidentSummary(Schema):
    public_id: uuid.UUID
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: dt.date
    district: District
    needs: list[str]


class ConsentOut(Schema):
    id: int
    purpose: str
    method: str
    given_at: dt.datetime
    recorded_by: str
    withdrawn_at: dt.datetime | None
    withdrawn_by: str | None
    note: str


class ResidentOut(ResidentSummary):
    postal_code: str
    address: str
    phone: str
    email: str
    preferred_language: str
    needs_interpreter: bool
    needs_sign_language: bool
    needs_wheelchair: bool
    needs_hearing_support: bool
    notes: str
    consents: list[ConsentOut]


class SearchIn(Schema):
    q: str


class SearchOut(Schema):
    results: list[ResidentSummary]
    more: bool


class ResidentIn(Schema):
    family_name: str
    given_name: str = ""
    family_name_kana: str
    given_name_kana: str = ""
    birth_date: str
    postal_code: str = ""
    address: str
    region: str
    district: str
    phone: str = ""
    email: str = ""
    preferred_language: str = Language.JA
    needs_interpreter: bool = False
    needs_sign_language: bool = False
    needs_wheelchair: bool = False
    needs_hearing_support: bool = False
    notes: str = Field("", max_length=NOTES_MAX)


def _district(resident: Resident) -> dict:
    d = resident.district
    return {"region": d.region.code, "district": d.code, "name": d.name}


def _summary(resident: Resident) -> dict:
    return {
        "public_id": resident.public_id, "family_name": resident.family_name,
        "given_name": resident.given_name, "family_name_kana": resident.family_name_kana,
        "given_name_kana": resident.given_name_kana, "birth_date": resident.birth_date,
        "district": _district(resident), "needs": resident.needs,
    }


def _consent(consent: Consent) -> dict:
    return {
        "id": consent.pk, "purpose": consent.purpose, "method": consent.method,
        "given_at": consent.given_at, "recorded_by": str(consent.recorded_by),
        "withdrawn_at": consent.withdrawn_at,
        "withdrawn_by": str(consent.withdrawn_by) if consent.withdrawn_by else None,
        "note": consent.note,
    }


def _detail(resident: Resident, consents: list[Consent]) -> dict:
    data = _summary(resident)
    for name in ("postal_code", "address", "phone", "email", "preferred_language",
                 "needs_interpreter", "needs_sign_language", "needs_wheelchair",
                 "needs_hearing_support", "notes"):
        data[name] = getattr(resident, name)
    data["consents"] = [_consent(c) for c in consents]
    return data


@router.post("/residents/search", auth=StaffSession(Action.RESIDENT_SEARCH),
             response={200: SearchOut, 401: Problem, 403: Problem},
             url_name="residents_search", summary="区民を氏名・フリガナで検索")
def search(request, payload: SearchIn):
    """Visible residents whose name or kana contains ``q`` (at most 50; ``more`` says
    whether there were more). Each resident returned is written to the audit trail."""
    result = selectors.resident_search(user=request.user, query=payload.q,
                                       source="api:residents.search")
    return {"results": [_summary(r) for r in result.residents], "more": result.more}


@router.get("/residents/{uuid:public_id}", auth=StaffSession(Action.RESIDENT_VIEW),
            response={200: ResidentOut, 401: Problem, 403: Problem, 404: Problem},
            url_name="resident_detail", summary="区民の詳細")
def detail(request, public_id: uuid.UUID):
    try:
        resident = selectors.resident_detail(user=request.user, public_id=public_id,
                                             source="api:residents.detail")
    except Http404:
        raise HttpError(404, NOT_FOUND) from None
    return _detail(resident, resident.consent_list)


@router.post("/residents", auth=StaffSession(Action.RESIDENT_CREATE),
             response={201: ResidentOut, 401: Problem, 403: Problem, 422: Problem},
             url_name="resident_create", summary="区民を登録")
def create(request, payload: ResidentIn):
    """Register a resident in one of the caller's own districts (district staff)."""
    try:
        resident = services.resident_create(by=request.user, data=payload.model_dump(),
                                            source="api:residents.create")
    except ValidationError as error:
        return invalid(error)
    except PermissionDenied as error:
        raise HttpError(403, str(error) or FORBIDDEN) from None
    return Status(201, _detail(resident, []))
