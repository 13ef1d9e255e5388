"""Helpers of the review, notice and export tests: a 児童手当 claim received online from
a resident of 池尻 (routed to 世田谷総合支所 子ども家庭支援課), and moving it along."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

from madoguchi.applications import services
from madoguchi.procedures.models import Channel
from tests.applications.conftest import PDF, PNG, resident_actor, staff_actor, version

JIDO = "jido-teate-nintei"
TOKYO = ZoneInfo("Asia/Tokyo")


def jido_answers(**changes) -> dict:
    answers = {
        "applicant": {"family": "池尻", "given": "花子", "family_kana": "いけじり",
                      "given_kana": "はなこ"},
        "applicant_birth_date": "1990-05-01",
        "address": {"postal_code": "154-0001", "address": "世田谷区池尻二丁目1番1号",
                    "building": "池尻ハイツ101"},
        "phone": "03-1234-5678", "email": "hanako@example.jp", "pension": "kokumin",
        "reason": "birth", "reason_date": "2026-11-01", "has_spouse": "no",
        "children": [{"child": {"family": "池尻", "given": "一郎", "family_kana": "いけじり",
                                "given_kana": "いちろう"},
                      "child_birth_date": "2026-11-01", "child_relationship": "child",
                      "child_lives_with_applicant": "yes"}],
        "has_separate_child": "no", "has_older_child": "no",
        "bank_name": "世田谷銀行", "branch_name": "池尻支店", "account_type": "futsu",
        "account_number": "1234567", "account_holder_kana": "イケジリ ハナコ",
        "confirm": "on",
    }
    answers.update(changes)
    return answers


def receive_jido(identity, district, *, key: str = "jido-key-0001", **changes):
    """A 児童手当 claim submitted online by ``identity`` (status "received")."""
    actor = resident_actor(identity)
    draft = services.draft_start(actor=actor, version=version(JIDO), channel=Channel.ONLINE,
                                 district=district)
    services.attachment_add(actor=actor, application=draft, code="identity", data=PNG,
                            name="card.png")
    services.attachment_add(actor=actor, application=draft, code="bank_account", data=PDF,
                            name="bank.pdf")
    return services.application_submit(actor=actor, application=draft,
                                       raw=jido_answers(**changes),
                                       idempotency_key=key).application


def move(application, user, *names: str, note: str = "") -> object:
    for name in names:
        application = services.application_transition(
            actor=staff_actor(user), application=application, name=name, note=note)
    return application


# The decision's data of a 児童手当 認定 (the status's fields in the procedure data).
JIDO_DECISION = {"payment_start": "令和8年12月1日", "monthly_amount": "15,000"}


def decided(application, user, **decision):
    application = move(application, user, "start_check", "accept")
    return services.application_transition(
        actor=staff_actor(user), application=application, name="decide",
        decision={**JIDO_DECISION, **decision})


@contextmanager
def at(year: int, month: int, day: int, hour: int = 10):
    """Everything written inside happens at this moment (Tokyo time)."""
    moment = dt.datetime(year, month, day, hour, tzinfo=TOKYO)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def receive_kaigo(centre_staff, resident):
    """A 要介護認定 application received with ``resident`` at their district centre (routed
    to 世田谷総合支所 保健福祉課 for 池尻), with both attachments scanned in."""
    from madoguchi.applications.management.commands.load_demo_applications import (
        _answers,
        _sample_card,
    )
    from madoguchi.organisation.models import DistrictCentre

    actor = staff_actor(centre_staff)
    draft = services.draft_start(actor=actor, version=version("kaigo-nintei"),
                                 channel=Channel.ASSISTED, district=resident.district,
                                 resident=resident,
                                 centre=DistrictCentre.objects.get(district=resident.district))
    for code in ("insurance_card", "identity"):
        services.attachment_add(actor=actor, application=draft, code=code,
                                data=_sample_card(code), name=f"{code}.png")
    answers = _answers(resident, "female", "home")
    answers["address"]["postal_code"] = "154-0001"
    return services.application_submit(actor=actor, application=draft,
                                       raw=answers).application
