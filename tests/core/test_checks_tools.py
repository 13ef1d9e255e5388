"""``manage.py check`` names what the running application needs from outside Python and
cannot find: a configured clamd or TURN server that does not answer (with --deploy), a PDF
font file that is not a font, a catalogue never compiled."""

from __future__ import annotations

import socket

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from madoguchi.documents import fonts
from madoguchi.site import checks_tools
from tests.files.conftest import clamd_fixture, free_port  # noqa: F401 (the clamd fixture)


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_a_configured_clamd_that_does_not_answer_fails_the_deploy_check(settings, tmp_path):
    settings.CLAMD_ADDRESS = f"unix://{tmp_path}/no-clamd.sock"
    with pytest.raises(SystemCheckError) as failed:
        call_command("check", "--deploy", verbosity=0)
    assert "tools.E005" in str(failed.value)
    assert "every upload is refused" in str(failed.value)


def test_a_running_clamd_passes(settings, clamd):
    settings.CLAMD_ADDRESS = clamd[0]
    assert checks_tools.clamd_reachable_check(None) == []


def test_no_clamd_configured_is_a_deploy_warning(settings):
    # Without a scanner an EICAR file behind a %PDF header is stored (issue 12 item 6).
    settings.CLAMD_ADDRESS = ""
    assert ids(checks_tools.clamd_reachable_check(None)) == ["tools.W006"]


def test_a_malformed_clamd_address_is_named(settings):
    settings.CLAMD_ADDRESS = "clamd.example.jp:3310"
    assert ids(checks_tools.clamd_reachable_check(None)) == ["tools.E004"]


def test_a_turn_server_that_refuses_connections_is_a_warning(settings):
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        up = listening.getsockname()[1]
        settings.MEETINGS_TURN_URLS = [f"turn:127.0.0.1:{up}?transport=tcp",
                                       f"turns:127.0.0.1:{free_port()}",
                                       "turn:127.0.0.1:3478?transport=udp"]
        messages = checks_tools.turn_reachable_check(None)
    assert ids(messages) == ["tools.W001"]
    assert "turns:127.0.0.1" in messages[0].msg


def test_the_pdf_font_must_be_a_font(monkeypatch, tmp_path):
    assert checks_tools.document_font_check(None) == []
    pointer = tmp_path / "NotoSansJP-Regular.ttf"
    pointer.write_text("version https://git-lfs.github.com/spec/v1\n")
    monkeypatch.setattr(fonts, "FONT_FILE", pointer)
    assert ids(checks_tools.document_font_check(None)) == ["tools.E002"]
    monkeypatch.setattr(fonts, "FONT_FILE", tmp_path / "missing.ttf")
    assert ids(checks_tools.document_font_check(None)) == ["tools.E001"]


def test_a_catalogue_without_its_compiled_file_is_an_error(settings, tmp_path):
    assert checks_tools.compiled_catalogue_check(None) == []
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text('msgid ""\nmsgstr ""\n')
    settings.LOCALE_PATHS = [tmp_path]
    messages = checks_tools.compiled_catalogue_check(None)
    assert ids(messages) == ["tools.E003"] and "gettext" in messages[0].hint
