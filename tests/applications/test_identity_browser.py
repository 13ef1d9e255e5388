"""Issue 11's figure as a browser test (ADR 0027): in headless Chromium a resident starts
要介護認定 on the procedure's page, logs in through the demo identity provider of
``make run`` (one click on a demo resident) and submits it online. The same flow is timed
by ``python -m bench identity``. Then the resident's page offers the one-time code
for the centre (ADR 0027); both pass axe-core."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from bench.identity import apply_online
from madoguchi.applications.models import Application
from madoguchi.portal.models import Level, PortalIdentity
from tests.applications.test_portal_browser import assert_axe_clean
from tests.browser.conftest import _database_url, run_asgi_server
from tests.portal.conftest import demo_provider  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_server(django_db_setup, django_db_blocker, tmp_path_factory,
                demo_provider):  # noqa: F811
    """madoguchi's ASGI server configured for the demo provider as bin/run does."""
    with django_db_blocker.unblock():
        database_url = _database_url(connection.settings_dict)
    folder = tmp_path_factory.mktemp("identity")
    with run_asgi_server(database_url, folder / "server.log", FILES_DIR=str(folder / "files"),
                         **demo_provider.settings) as url:
        demo_provider.allow_redirect(f"{url}/portal/login/card/callback/")
        yield url


def test_a_resident_logs_in_at_the_demo_provider_and_applies_online(demo_server, new_page,
                                                                    transactional_db):
    call_command("load_setagaya", verbosity=0)
    call_command("load_procedures", verbosity=0)
    page = new_page()
    login, seconds = apply_online(page, demo_server, resident="demo-taro")
    identity = PortalIdentity.objects.get()
    assert identity.level == Level.STRONG and identity.display_name == "山田 太郎"
    application = Application.objects.get(identity=identity)
    assert application.reference in page.inner_text(".apply-reference")
    assert application.version.procedure.code == "kaigo-nintei"
    assert application.answers["insured"]["family"] == "山田"
    assert 0 < login < seconds

    # The portal offers the code for the centre; both pages pass axe-core.
    page.goto(demo_server + "/portal/")
    assert_axe_clean(page)
    page.click("#show-link-code")
    page.wait_for_selector("#link-code")
    assert len("".join(page.inner_text("#link-code").split())) == 8
    assert_axe_clean(page)
