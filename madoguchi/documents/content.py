"""What a printed document says: frozen dataclasses filled by the calling context.

Strings are plain text (never markup); ``\\n`` starts a new line. Dates are ``datetime.date``
and printed in 和暦. Nothing here reads the database: procedures build these from an
application and its decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Addressee:
    """宛名: printed where the window of a 長3 envelope shows it."""

    name: str
    address: str
    postal_code: str = ""
    honorific: str = "様"


@dataclass(frozen=True)
class Issuer:
    """The section that decided and answers questions (問い合わせ先)."""

    section: str  # e.g. 子ども家庭支援課
    office: str = ""  # e.g. 世田谷総合支所 保健福祉センター
    postal_code: str = ""
    address: str = ""
    phone: str = ""
    hours: str = ""  # e.g. 平日 8:30〜17:15


@dataclass(frozen=True)
class DecisionNotice:
    """決定通知書. The ward and its mayor come from settings (``DOCUMENTS_*``).

    ``body_template`` is the procedure's text written by administrators, with placeholders
    such as ``{{ 氏名 }}`` (see ``notice.PLACEHOLDERS``); every ``details`` row is printed
    under 記 and may be named as a placeholder by its label. ``appeal_authority`` is the
    body that hears a 審査請求 (empty: the ward mayor); ``appeal`` replaces the standard
    教示 with the procedure's own; ``with_appeal=False`` leaves the 教示 out, for notices
    that are not 処分.
    """

    title: str  # e.g. 児童手当認定通知書
    document_number: str  # 文書番号, e.g. 世子家第1234号
    reference_number: str  # the application's 受付番号
    issued_on: dt.date
    addressee: Addressee
    issuer: Issuer
    procedure_name: str  # e.g. 児童手当の認定請求
    decision: str  # e.g. 認定, 却下
    body_template: str
    applied_on: dt.date | None = None
    reasons: str = ""  # 理由; paragraphs separated by \n
    details: tuple[tuple[str, str], ...] = ()  # (label, value) rows under 記
    appeal_authority: str = ""
    with_appeal: bool = True
    # The procedure's own 教示 (plain text, already filled in), printed instead of the
    # ward's standard text: e.g. 介護保険 appeals go to 東京都介護保険審査会, not the mayor.
    appeal: str = ""


class Channel(StrEnum):
    """Where a procedure can be done, as in the procedure catalogue."""

    ONLINE = "online"  # from home, on the ward's online service
    ASSISTED = "assisted"  # at a district centre, staff helping (video to the section)
    COUNTER = "counter"  # at the responsible section's counter


@dataclass(frozen=True)
class SlipProcedure:
    """One row of a guidance slip."""

    name: str  # e.g. 児童手当の認定請求
    section: str  # who handles it, e.g. 世田谷総合支所 子ども家庭支援課
    channels: tuple[Channel, ...]
    bring: tuple[str, ...] = ()  # 持ち物
    online_url: str = ""  # printed as a QR code when ONLINE is a channel
    note: str = ""  # e.g. 転入した日から15日以内


@dataclass(frozen=True)
class SlipOffice:
    name: str
    address: str = ""
    phone: str = ""
    hours: str = ""


@dataclass(frozen=True)
class GuidanceSlip:
    """受付案内票: the procedures of one life event, printed for a resident at the counter."""

    life_event: str  # e.g. 転入（引っ越してきた）
    procedures: tuple[SlipProcedure, ...]
    printed_on: dt.date
    offices: tuple[SlipOffice, ...] = ()
    resident_name: str = ""
    printed_by: str = ""  # e.g. 池尻まちづくりセンター
    note: str = ""


@dataclass(frozen=True)
class QueueTicket:
    """番号札: a walk-in ticket printed on a receipt roll (no resident's name)."""

    office: str
    number: str  # e.g. A007
    service: str
    issued_at: dt.datetime
    url: str  # the ticket page (QR code)
    ahead: int
    wait_minutes: int
    service_en: str = ""
    service_easy: str = ""


@dataclass(frozen=True)
class PlanSupporterLine:
    name: str
    phone: str
    relation: str = ""


@dataclass(frozen=True)
class EvacuationPlanSheet:
    """個別避難計画: one person's evacuation plan, printed for the person and the supporters."""

    person_name: str
    birth_date: dt.date
    address: str
    phone: str
    destination: str  # e.g. 指定避難所：池尻小学校
    means: str
    supporters: tuple[PlanSupporterLine, ...]
    review_due: dt.date
    printed_on: dt.date
    medical: str = ""  # 要配慮個人情報: printed only where the calling context decides
    issuer: str = ""  # e.g. 池尻まちづくりセンター


@dataclass(frozen=True)
class CircularSheet:
    """回覧板: a circular printed for households without a device, with a sign-off table
    (one row per household, 確認 by hand) and the names of its attached files."""

    title: str
    body: str
    sender: str  # e.g. 池尻町会 / 池尻まちづくりセンター
    posted_on: dt.date
    households: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class FlyerCode:
    """One QR code of a flyer: what it leads to and its address."""

    caption: str  # e.g. 地区のページ
    url: str


@dataclass(frozen=True)
class DistrictFlyer:
    """転入された方へ: a district's QR flyer for newcomers (A4 or A5). Only facts the
    organisation and counter data hold: an empty ``address``, ``directions`` or
    ``services`` is left out of the print, never filled in."""

    ward: str  # e.g. 世田谷区
    district: str  # e.g. 池尻
    centre: str  # e.g. 池尻まちづくりセンター
    phone: str
    printed_on: dt.date
    codes: tuple[FlyerCode, ...]
    phone_label: str = "電話"
    address: str = ""
    hours: str = ""  # e.g. 月〜金 8:30〜17:15（祝日・年末年始を除く）
    directions: str = ""
    about: str = ""  # what a まちづくりセンター does (the section kind's ``handles``)
    services: tuple[str, ...] = ()  # the centre's window services
    district_kana: str = ""


@dataclass(frozen=True)
class ResultAnswer:
    """One group of opinions saying the same thing: 意見の概要 and 区の考え方."""

    summary: str
    answer: str
    count: int = 1  # items of the same purport (同趣旨)


@dataclass(frozen=True)
class ResultSection:
    """The answers of one category (分類) and the number of items sorted into it."""

    category: str
    count: int
    answers: tuple[ResultAnswer, ...]


@dataclass(frozen=True)
class PublicCommentResult:
    """意見の概要と区の考え方: the published result of a public comment (パブリックコメント).

    A public document: the calling context gives every text with personal data already
    removed (no sender's name, address or contact); the renderer prints nothing else of
    the senders than the counts."""

    title: str  # the draft's name, e.g. 地域行政推進計画（素案）
    starts_on: dt.date
    ends_on: dt.date
    published_on: dt.date
    people: int  # 意見提出人数
    items: int  # 意見件数
    channels: tuple[tuple[str, int], ...]  # people by channel, e.g. (("電子メール", 3),)
    sections: tuple[ResultSection, ...]
    intro: str = ""
    publisher: str = ""  # e.g. 世田谷区
