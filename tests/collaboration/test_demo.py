"""The demo loading of collaboration (bin/run: after load_demo) is real and idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from madoguchi.collaboration.models import Escalation, Meeting, SocialResource, TroubleRecord

pytestmark = pytest.mark.django_db


def test_demo_collaboration_loads_once(setagaya):
    from tests.collaboration.conftest import ensure_defaults

    ensure_defaults()
    call_command("load_demo", verbosity=0)
    call_command("load_demo_collaboration", verbosity=0)
    call_command("load_demo_collaboration", verbosity=0)
    assert TroubleRecord.objects.count() == 3
    assert TroubleRecord.objects.filter(share=True).count() == 2
    assert Meeting.objects.count() == 6
    assert Escalation.objects.count() == 1 and SocialResource.objects.count() == 1
    # 池尻's minutes are approved by its demo head, not by its demo staff (ADR 0058).
    from madoguchi.accounts.models import User
    from madoguchi.accounts.policy import Action, can

    meeting = Meeting.objects.order_by("starts_at").first()
    assert can(User.objects.get(username="ikejiri-shocho"), Action.COLLAB_MINUTES_APPROVE,
               meeting)
    assert not can(User.objects.get(username="ikejiri"), Action.COLLAB_MINUTES_APPROVE,
                   meeting)
    assert not can(User.objects.get(username="matsubara-shocho"),
                   Action.COLLAB_MINUTES_APPROVE, meeting)
