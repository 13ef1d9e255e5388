"""Virus scanning with a real clamd (INSTREAM over its socket): the EICAR test file is
refused; a scanner that is configured but cannot answer refuses every file (fail closed)."""

from __future__ import annotations

import pytest

from madoguchi.contrib.clamav import ClamdScanner
from madoguchi.contrib.clamav.client import parse_address, parse_reply
from madoguchi.files.models import StoredFile
from madoguchi.files.scanning import ScannerUnavailable, ScanResult
from madoguchi.files.services import FileRefused, file_store

from .conftest import free_port, on_disk
from .samples import EICAR, pdf, png


def test_clamd_finds_the_eicar_test_file(clamd):
    address, _own = clamd
    scanner = ClamdScanner(address)
    result = scanner.scan([EICAR])
    assert result.clean is False
    assert "eicar" in result.signature.lower()
    assert scanner.scan([pdf(), png()]) == ScanResult(clean=True)


def test_chunks_of_any_size_reach_clamd_whole(clamd):
    address, _own = clamd
    scanner = ClamdScanner(address, chunk_bytes=7)  # EICAR split across many chunks
    assert scanner.scan([EICAR[:30], EICAR[30:]]).clean is False


@pytest.mark.django_db
def test_file_store_refuses_the_eicar_file_and_keeps_nothing(clamd, settings, files_dir,
                                                             caplog):
    settings.CLAMD_ADDRESS = clamd[0]
    with pytest.raises(FileRefused) as caught:
        file_store(data=EICAR, name="eicar.pdf", purpose="consultation", by=None)
    assert caught.value.code == "infected"
    assert "ウイルスが見つかった" in caught.value.message
    assert not StoredFile.objects.exists()
    assert on_disk(files_dir) == []
    assert any("virus found" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_a_pdf_carrying_the_eicar_string_is_refused_too(clamd, settings, files_dir):
    address, own = clamd
    if not own:
        pytest.skip("needs the tests' own clamd: its signature finds EICAR inside a file")
    settings.CLAMD_ADDRESS = address
    with pytest.raises(FileRefused) as caught:
        file_store(data=pdf() + EICAR, name="a.pdf", purpose="consultation", by=None)
    assert caught.value.code == "infected"
    assert on_disk(files_dir) == []


@pytest.mark.django_db
def test_clean_files_pass_the_scanner(clamd, settings, files_dir,
                                      django_capture_on_commit_callbacks):
    settings.CLAMD_ADDRESS = clamd[0]
    with django_capture_on_commit_callbacks(execute=True):
        stored = file_store(data=pdf(), name="a.pdf", purpose="consultation", by=None)
    assert on_disk(files_dir) == [stored.storage_key]


def test_a_stream_over_clamds_limit_is_an_error_not_a_pass(clamd):
    address, own = clamd
    if not own:
        pytest.skip("needs the tests' own clamd (StreamMaxLength 1M)")
    with pytest.raises(ScannerUnavailable, match="size limit"):
        ClamdScanner(address).scan([b"\0" * (2 * 1024 * 1024)])


@pytest.mark.django_db
def test_an_unreachable_scanner_refuses_every_file(settings, files_dir, tmp_path):
    for address in (f"tcp://127.0.0.1:{free_port()}", f"unix://{tmp_path}/no-clamd.sock"):
        settings.CLAMD_ADDRESS = address
        with pytest.raises(FileRefused) as caught:
            file_store(data=pdf(), name="a.pdf", purpose="consultation", by=None)
        assert caught.value.code == "scanner_unavailable"
        assert "ウイルス検査ができない" in caught.value.message
    assert not StoredFile.objects.exists()
    assert on_disk(files_dir) == []


def test_replies_and_addresses():
    assert parse_reply("stream: OK") == ScanResult(True, "")
    assert parse_reply("stream: Win.Test.EICAR_HDB-1 FOUND") == ScanResult(
        False, "Win.Test.EICAR_HDB-1")
    for reply in ("INSTREAM size limit exceeded. ERROR", "stream: Can't allocate memory ERROR",
                  "UNKNOWN COMMAND", ""):
        with pytest.raises(ScannerUnavailable):
            parse_reply(reply)
    assert parse_address("unix:///run/clamav/clamd.ctl")[1] == "/run/clamav/clamd.ctl"
    assert parse_address("tcp://clamav.internal:3310")[1] == ("clamav.internal", 3310)
    assert parse_address("tcp://127.0.0.1")[1] == ("127.0.0.1", 3310)
    for bad in ("127.0.0.1:3310", "http://x", "unix://", "tcp://"):
        with pytest.raises(ValueError):
            parse_address(bad)
