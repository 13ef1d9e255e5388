"""Guidance in the JSON API: which section handles a worry. Public, no login.

``GET /guidance?q=&district=`` as issue 6 specifies; ``POST /guidance`` takes the same in
a JSON body, for clients that keep residents' words out of URLs and server logs.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from madoguchi.core.problem import Problem
from madoguchi.guidance import selectors, services

router = Router(tags=["guidance"])

DESCRIPTION = (
    "困りごと（日本語・英語、話し言葉・ひらがな・誤字も可）から、担当する課・機関の種別を"
    "よい順に返します。district（地域コード/地区コード、または区内で一意の地区コード）を"
    "指定すると、その地区を担当する窓口（名称・所在地・電話・受付時間のうち分かるもの）と、"
    "地区のまちづくりセンターでオンライン相談ができるかを返します。入力が空・1,000文字超・"
    "記号だけのときは problem に理由を入れて返します。認証は不要です。")


class GuidanceSectionOut(Schema):
    code: str
    name: str
    name_en: str
    tier: str
    score: float
    reason: str
    office: dict[str, str] = Field(
        description="担当の窓口: section（課・機関のコード）, name, office（庁舎・施設）, "
                    "address, phone, hours のうち分かるもの。地区の指定がないと本庁・専門機関"
                    "以外は空。")
    online: bool


class FaqOut(Schema):
    id: str
    section: str
    question: str
    answer: str
    easy_answer: str
    question_en: str
    answer_en: str
    score: float


class ProcedureOut(Schema):
    code: str
    name: str


class GuidanceOut(Schema):
    query: str
    problem: str | None
    sections: list[GuidanceSectionOut]
    faqs: list[FaqOut]
    procedures: list[ProcedureOut]


class GuidanceIn(Schema):
    q: str = Field("", description="困りごと・質問（1,000文字まで）")
    district: str = Field("", description="地区コード（例: setagaya/ikejiri）")


def _answer(q: str, district: str) -> dict:
    place = None
    if district.strip():
        place = selectors.district_from_code(district)
        if place is None:
            raise HttpError(400, _("地区「%(code)s」は存在しません（地域コード/地区コード"
                                   "の形で指定してください）。") % {"code": district[:60]})
    result = selectors.guide(q, district=place)
    services.guidance_log_unanswered(guidance=result)
    return result.as_json()


@router.get("/guidance", response={200: GuidanceOut, 400: Problem}, url_name="guidance",
            summary="どの窓口が担当か（案内）", description=DESCRIPTION)
def guidance(request, q: str = "", district: str = ""):
    return _answer(q, district)


@router.post("/guidance", response={200: GuidanceOut, 400: Problem},
             url_name="guidance_search", summary="どの窓口が担当か（本文で送る）",
             description=DESCRIPTION)
def guidance_search(request, payload: GuidanceIn):
    return _answer(payload.q, payload.district)
