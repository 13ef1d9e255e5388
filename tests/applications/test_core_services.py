"""The applications core: drafts keep what was typed, submission is whole and idempotent,
transitions follow the procedure's workflow data, the history is append-only, every read
and write is audited, and the clock counts open days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from madoguchi.applications import selectors, services
from madoguchi.applications.models import (
    DRAFT,
    AppendOnlyError,
    Application,
    ApplicationEvent,
)
from madoguchi.audit.models import AuditEntry
from madoguchi.core.dates import add_open_days, open_days_between
from madoguchi.procedures.models import Channel
from tests.applications.conftest import (
    PNG,
    kazei_answers,
    resident_actor,
    staff_actor,
    version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kazei_draft(catalogue, identity, ikejiri, files_dir):
    actor = resident_actor(identity)
    return services.draft_start(actor=actor, version=version("kazei-shomei"),
                                channel=Channel.ONLINE, district=ikejiri)


def _submit(draft, identity, answers=None, key="key-0001-abcdef"):
    if draft.is_draft and not draft.attachments.exists():
        services.attachment_add(actor=resident_actor(identity), application=draft,
                                code="identity", data=PNG, name="card.png")
    return services.application_submit(actor=resident_actor(identity), application=draft,
                                       raw=answers or kazei_answers(), idempotency_key=key)


def test_a_draft_keeps_invalid_input_and_submission_refuses_it(kazei_draft, identity):
    raw = {**kazei_answers(), "person_birth_date": "平成32年1月1日", "phone": "abc"}
    with pytest.raises(services.AnswersInvalid) as error:
        services.application_submit(actor=resident_actor(identity), application=kazei_draft,
                                    raw=raw, idempotency_key="key-0001-abcdef")
    assert set(error.value.errors) >= {"person_birth_date", "phone"}
    kazei_draft.refresh_from_db()
    assert kazei_draft.status == DRAFT and kazei_draft.reference is None
    assert kazei_draft.answers["person_birth_date"] == "平成32年1月1日"  # kept as typed


def test_submission_is_whole_and_repeats_return_the_same(kazei_draft, identity, ikejiri):
    first = _submit(kazei_draft, identity)
    assert not first.repeated
    app = first.application
    assert app.reference.startswith(f"{app.submitted_at.year}-")
    assert app.status == "received" and app.section.code == "kazei"
    assert app.answers["person_birth_date"] == "1990-05-01"
    assert app.applicant_name == "池尻 花子"
    again = _submit(kazei_draft, identity)
    assert again.repeated and again.application.pk == app.pk
    assert Application.objects.filter(identity=identity).count() == 1
    assert ApplicationEvent.objects.filter(application=app, kind="submitted").count() == 1
    # Audited: the portal identity, not a staff member.
    entry = AuditEntry.objects.filter(record_id=str(app.public_id)).first()
    assert entry.actor is None and entry.portal_ref == str(identity.public_id)


def test_submit_new_with_one_key_makes_one_application(catalogue, identity, ikejiri,
                                                       files_dir):
    actor = resident_actor(identity)
    kwargs = dict(actor=actor, version=version("kazei-shomei"), district=ikejiri,
                  raw=kazei_answers(), files=[("identity", PNG, "card.png")],
                  idempotency_key="api-key-123456")
    first = services.application_submit_new(**kwargs)
    second = services.application_submit_new(**kwargs)
    assert second.repeated and second.application.pk == first.application.pk
    assert first.application.attachments.count() == 1
    assert Application.objects.count() == 1


def test_a_missing_required_attachment_is_named(catalogue, identity, ikejiri, files_dir):
    with pytest.raises(ValidationError) as error:
        services.application_submit_new(
            actor=resident_actor(identity), version=version("kazei-shomei"),
            district=ikejiri, raw=kazei_answers(), files=[], idempotency_key="api-key-999999")
    assert "本人確認書類" in " ".join(error.value.messages)
    assert Application.objects.count() == 0


def test_transitions_follow_the_workflow_and_notes_reach_the_resident(
        kazei_draft, identity, make_staff):
    from madoguchi.accounts.models import Role

    app = _submit(kazei_draft, identity).application
    staff = make_staff(Role.SECTION_STAFF, "kazei", username="kazei-staff")
    actor = staff_actor(staff)
    with pytest.raises(ValidationError):  # not allowed from "received"
        services.application_transition(actor=actor, application=app, name="accept")
    services.application_transition(actor=actor, application=app, name="start_check",
                                    note="internal")
    with pytest.raises(ValidationError):  # a correction request needs a message
        services.application_transition(actor=actor, application=app,
                                        name="request_correction")
    services.application_transition(actor=actor, application=app, name="request_correction",
                                    note="委任状の日付が抜けています。")
    with pytest.raises(PermissionDenied):  # a resident transition is not the staff's
        services.application_transition(actor=resident_actor(make_identity_other()),
                                        application=app, name="resubmit")
    services.application_transition(actor=resident_actor(identity), application=app,
                                    name="resubmit", note="日付を書きました。")
    public = selectors.history(app, public_only=True)
    notes = [e.resident_note for e in public]
    assert "委任状の日付が抜けています。" in notes and "internal" not in notes
    assert [e.to_status for e in public if e.to_status] == [
        "received", "checking", "correction_requested", "resubmitted"]


def make_identity_other():
    from madoguchi.portal.models import Level, Method, PortalIdentity

    return PortalIdentity.objects.create(method=Method.EMAIL, level=Level.EMAIL,
                                         email="other@example.jp")


def test_history_is_append_only(kazei_draft, identity):
    app = _submit(kazei_draft, identity).application
    event = app.events.first()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        ApplicationEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE applications_applicationevent SET note = 'x' WHERE id = %s",
                       [event.pk])


def test_staff_outside_the_section_cannot_act(kazei_draft, identity, kodomo_staff):
    app = _submit(kazei_draft, identity).application
    with pytest.raises(PermissionDenied):
        services.application_transition(actor=staff_actor(kodomo_staff), application=app,
                                        name="start_check")


def test_open_days_skip_weekends_holidays_and_year_end(setagaya):
    # Fri 2026-12-25 + 3 open days: Mon 28, then 年末年始 29 Dec - 3 Jan, Mon 4, Tue 5.
    assert add_open_days(dt.date(2026, 12, 25), 3) == dt.date(2027, 1, 5)
    assert open_days_between(dt.date(2026, 12, 25), dt.date(2027, 1, 5)) == 3
    assert open_days_between(dt.date(2026, 12, 25), dt.date(2026, 12, 25)) == 0


def test_assisted_draft_needs_a_resident_the_staff_may_see(catalogue, centre_staff,
                                                           kodomo_staff, resident, ikejiri):
    from madoguchi.organisation.models import DistrictCentre

    centre = DistrictCentre.objects.get(district=ikejiri)
    draft = services.draft_start(actor=staff_actor(centre_staff),
                                 version=version("jido-teate-nintei"),
                                 channel=Channel.ASSISTED, district=ikejiri,
                                 resident=resident, centre=centre)
    assert draft.created_by == centre_staff and draft.is_draft
    with pytest.raises(PermissionDenied):
        services.draft_start(actor=staff_actor(kodomo_staff),
                             version=version("jido-teate-nintei"), channel=Channel.ASSISTED,
                             district=ikejiri, resident=resident, centre=centre)


def test_staff_receive_only_at_their_own_centre_or_counter(catalogue, centre_staff, resident,
                                                          ikejiri, setagaya):
    from madoguchi.organisation.models import DistrictCentre

    other = DistrictCentre.objects.exclude(district=ikejiri).first()
    with pytest.raises(PermissionDenied):
        services.draft_start(actor=staff_actor(centre_staff),
                             version=version("jido-teate-nintei"), channel=Channel.ASSISTED,
                             district=ikejiri, resident=resident, centre=other)
    with pytest.raises(PermissionDenied):  # a centre has no counter of its own
        services.draft_start(actor=staff_actor(centre_staff),
                             version=version("jido-teate-nintei"), channel=Channel.COUNTER,
                             district=ikejiri, resident=resident)
