"""The signage player in a real browser: it caches its schedule's items, keeps playing
them through ten minutes without network (context offline, the page's clock run forward),
then picks up the new schedule (a new item shown, a withdrawn one dropped from the screen
and from Cache Storage); a revoked key turns it into the neutral page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.organisation.models import DistrictCentre
from madoguchi.signage import services
from madoguchi.signage.models import Screen

pytestmark = pytest.mark.browser

CENTRE = "setagaya/ikejiri/machizukuri-center"
COUNT = 20
STEP_MS = 5_000  # one item's time on screen


def _png(colour) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 180), colour).save(out, format="PNG")
    return out.getvalue()


def _item(author, approver, centre, title, *, image=None):
    now = timezone.now()
    data = services.ItemInput(
        kind="image" if image else "notice", title=title, body=f"{title}の本文",
        starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(days=2),
        seconds=5, centres=[centre])
    upload = SimpleUploadedFile(f"{title}.png", image) if image else None
    item = services.item_create(by=author, data=data, upload=upload)
    return services.item_approve(by=approver, item=item)


def _run(page, ms: int, step: int = 1_000) -> list[str]:
    """Run the page's clock forward ``ms`` in steps; what the screen showed after each."""
    seen = []
    for _ in range(ms // step):
        page.clock.run_for(step)
        page.wait_for_timeout(30)  # let the fetches and cache reads of this step settle
        seen.append(page.evaluate("document.body.dataset.current || ''"))
    return seen


def _cached(page) -> int:
    return page.evaluate("""async () => {
        const cache = await caches.open('signage-media-v1');
        return (await cache.keys()).length; }""")


def test_the_player_plays_offline_and_picks_up_the_new_schedule(live_setagaya, new_page,
                                                                 make_staff):
    author = make_staff(Role.DISTRICT_STAFF, CENTRE)
    approver = make_staff(Role.CENTRE_HEAD, CENTRE)  # 所長 (ADR 0058)
    centre = DistrictCentre.objects.get(district__code="ikejiri")
    screen = Screen.objects.create(centre=centre, name="入口")
    images = [_item(author, approver, centre, f"写真{n}", image=_png((40 * n, 80, 120)))
              for n in range(1, 4)]
    notices = [_item(author, approver, centre, f"お知らせ{n}") for n in range(1, COUNT - 2)]
    items = {str(i.public_id) for i in images + notices}
    key = services.screen_key_issue(by=author, screen=screen)

    page = new_page()
    page.clock.install()
    page.goto(f"{live_setagaya}/signage/k/{key}/")
    page.wait_for_function("() => (document.body.dataset.current || '').length > 8")
    for _ in range(100):
        if _cached(page) == 3:
            break
        page.wait_for_timeout(100)
    assert _cached(page) == 3
    assert page.evaluate("JSON.parse(localStorage.getItem('signage.schedule')).items.length") \
        == COUNT

    page.context.set_offline(True)
    new = _item(author, approver, centre, "新しいお知らせ")
    gone = images[0]
    services.item_withdraw(by=author, item=gone)
    seen = _run(page, 10 * 60 * 1000, step=STEP_MS)  # ten minutes without network
    assert "" not in seen, "the screen went blank while offline"
    assert set(seen) == items, "every cached item kept playing, and nothing else"
    assert page.locator("img.signage__media").count() <= 1

    page.context.set_offline(False)
    after = _run(page, 3 * 60 * 1000, step=STEP_MS)
    assert str(new.public_id) in after
    tail = after[after.index(str(new.public_id)):]
    assert str(gone.public_id) not in tail
    assert _cached(page) == 2  # the withdrawn image is dropped from Cache Storage

    services.screen_key_revoke(by=author, screen=screen)
    _run(page, 70_000, step=STEP_MS)  # the next poll hears of it
    assert page.evaluate("document.body.dataset.current") == "revoked"
    assert page.locator("#stage").inner_text() == "この画面は使えません。"
    assert _cached(page) == 0
