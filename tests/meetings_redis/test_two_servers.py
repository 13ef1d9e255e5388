"""Two ASGI server processes sharing a Redis channel layer serve one room (issue 4).

The section's staff member is on server A, the resident (one-time link) on server B: the
lobby notice, the admission and every offer, answer and candidate cross between the
processes through Redis only. Both peer connections reach ``connected`` and decode the
other's video.
"""

from __future__ import annotations

import pytest

from tests.meetings.conftest import build_world, session_cookie
from tests.meetings.test_call_browser import connected, frames_decoded, watch_errors

pytestmark = pytest.mark.browser

WAITING = "担当の職員が入室を許可するまで、お待ちください。"
IN_CALL = "通話に参加しました"


def test_one_room_served_by_two_processes(live_two, make_staff, media_page, redis_layer):
    server_a, server_b = live_two
    assert server_a != server_b
    world = build_world(make_staff)

    _, staff_session = session_cookie(world.staff.host)
    staff = media_page(server_a, staff_session)
    errors = watch_errors(staff)
    staff.goto(f"{server_a}/meet/{world.room.public_id}/")
    staff.get_by_text(IN_CALL).wait_for()

    resident = media_page(server_b)
    errors += watch_errors(resident)
    response = resident.goto(f"{server_b}/meet/join/{world.resident_token}/")
    assert response.status == 200
    resident.get_by_text(WAITING).wait_for()

    # The lobby notice reached the host on the other process ...
    admit = staff.get_by_role("button", name="山田\u3000花子さん: 入室を許可")
    admit.wait_for()
    # ... through the Redis channel layer: the room's groups are there.
    assert redis_layer.keys(f"*{world.room.group}*"), "no channel-layer group in Redis"

    admit.click()
    resident.get_by_text(IN_CALL).wait_for()
    connected(staff)
    connected(resident)
    assert frames_decoded(staff) > 0
    assert frames_decoded(resident) > 0

    # Chat crosses the processes too.
    resident.get_by_label("メッセージ").fill("聞こえています")
    resident.get_by_role("button", name="送信").click()
    staff.locator("#chat-log li", has_text="聞こえています").wait_for()
    assert errors == []
