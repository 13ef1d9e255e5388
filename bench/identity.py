"""The figure of issue 11 (ADR 0027), written to var/bench/identity.json: a resident logs in
through the demo identity provider of ``make run`` and submits 要介護認定 online in headless
Chromium (Debian's /usr/bin/chromium). Timed from the press of 「はじめる」 on the My Number
Card page (the login button) to the receipt page (受付番号), in a fresh browser each run:
the redirect to the provider, the click on a demo resident, the token exchange, the start,
the form typed in, two attachments, the confirmation and the submission; and the login part
alone (to being back, logged in, on the start page).

Everything runs as ``make run`` runs it: madoguchi's uvicorn on a scratch SQLite database
(var/bench/identity.sqlite3, migrate + load_setagaya + load_procedures), the demo provider
(madoguchi/demo_idp) in its own uvicorn with its own folder (var/bench/identity-idp), both
on 127.0.0.1. A run that fails is retried once and counted in ``failures``.

``apply_online`` is also the browser test's flow (tests/applications/test_identity_browser.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.meetings import free_port, serve, stats
from madoguchi.demo_idp.prepare import in_subprocess

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench"
RUNS = 7
STEP_TIMEOUT_MS = 30_000
SERVER_START_TIMEOUT = 90
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PNG_CARD = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5dd8a1a0000000049454e44ae426082")


def fill_kaigo(page) -> None:
    """The 要介護認定 form as a resident of 池尻 aged over 65 living at home fills it in."""
    page.check("input[name=application_type][value=new]")
    page.check("input[name=insured_category][value=first]")
    page.fill("[name=insured_number]", "0000012345")
    page.fill("[name=insured-family]", "山田")
    page.fill("[name=insured-given]", "太郎")
    page.fill("[name=insured-family_kana]", "やまだ")
    page.fill("[name=insured-given_kana]", "たろう")
    page.fill("[name=insured_birth_date]", "昭和23年4月12日")
    page.check("input[name=insured_sex][value=male]")
    page.fill("[name=address-postal_code]", "154-0001")
    page.fill("[name=address-address]", "世田谷区池尻1丁目1番")
    page.fill("[name=phone]", "03-1234-5678")
    page.check("input[name=whereabouts][value=home]")
    page.fill("[name=doctor_name]", "世田谷 健一")
    page.fill("[name=clinic_name]", "池尻内科クリニック")
    page.fill("[name=clinic_address-postal_code]", "154-0001")
    page.fill("[name=clinic_address-address]", "世田谷区池尻三丁目1番")
    page.fill("[name=clinic_phone]", "03-0000-9999")
    page.check("input[name=contact_is_insured][value=yes]")
    page.check("input[name=applicant_type][value=self]")
    page.check("[name=consent_share]")
    page.check("[name=confirm]")


def attach(page, code: str) -> None:
    page.set_input_files(f"#id_file-{code}", files=[
        {"name": f"{code}.png", "mimeType": "image/png", "buffer": PNG_CARD}])
    page.click(f"#attachment-{code} button[value=upload]")
    page.wait_for_url("**/edit/#attachments")


def apply_online(page, base: str, *, resident: str = "demo-taro") -> tuple[float, float]:
    """From the procedure's page: 「オンラインで申請」, the card login at the demo provider as
    ``resident``, the form, the attachments, the confirmation, the receipt. Returns the
    seconds from pressing 「はじめる」 to being back, logged in, on the start page, and to
    the receipt page."""
    page.goto(f"{base}/procedures/kaigo-nintei/")
    page.click("#apply-online")
    page.wait_for_url("**/portal/login/**")
    page.click("a[href^='/portal/login/card/']")  # 「マイナンバーカードで入る」
    page.wait_for_url("**/portal/login/card/**")
    page.wait_for_selector("#card-demo")
    started = time.perf_counter()
    page.click("form[action$='/portal/login/card/start/'] button[type=submit]")
    page.wait_for_selector("#demo-mark")
    page.click(f"#demo-{resident}")
    page.wait_for_url(f"{base}/portal/applications/new/kaigo-nintei/")
    logged_in = time.perf_counter() - started
    page.select_option("#id_district", label="池尻")
    page.click("button.button--primary")
    page.wait_for_url("**/edit/")
    fill_kaigo(page)
    attach(page, "insurance_card")
    attach(page, "identity")
    page.click("button.button--primary[value=confirm]")
    page.wait_for_url(lambda url: "/confirm/" in url)
    page.click("#submit-application")
    page.wait_for_url(lambda url: "/done/" in url)
    page.wait_for_selector(".apply-reference")
    return logged_in, time.perf_counter() - started


# --- the benchmark ------------------------------------------------------------------------

def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,  # noqa: S603
                   check=True, capture_output=True, timeout=600)


def _uvicorn(app: str, port: int, env: dict, name: str):
    return serve(["-m", "uvicorn", app, "--host", "127.0.0.1", "--lifespan", "off",
                  "--no-access-log", "--log-level", "warning"],
                 log=OUT / f"{name}.log", health="/healthz", port=port, env=env)


def _measure(base: str, chromium: str) -> dict:
    from playwright.sync_api import sync_playwright

    samples: list[float] = []
    logins: list[float] = []
    failures: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            for attempt in range(RUNS + 1):  # the first is a warm-up
                for _try in range(2):  # one retry
                    context = browser.new_context(locale="ja-JP",
                                                  viewport={"width": 1280, "height": 900})
                    context.set_default_timeout(STEP_TIMEOUT_MS)
                    try:
                        login, seconds = apply_online(context.new_page(), base)
                    except Exception as error:  # noqa: BLE001 - counted and reported
                        failures.append(f"{type(error).__name__}: {str(error)[:200]}")
                        continue
                    finally:
                        context.close()
                    if attempt:
                        samples.append(seconds * 1000)
                        logins.append(login * 1000)
                    break
        finally:
            browser.close()
    figures = {"failures": len(failures), "failure_messages": failures[:3]}
    if samples:
        figures["login_to_receipt"] = stats(samples)
        figures["login_to_logged_in"] = stats(logins)
    return figures


def run() -> dict:
    from madoguchi.site.checks_tools import program

    chromium = program("chromium")
    if chromium is None:
        return {"skipped": "chromium is not installed (apt-get install chromium)"}
    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / "identity.sqlite3"
    idp_dir = OUT / "identity-idp"
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        path.unlink(missing_ok=True)
    shutil.rmtree(idp_dir, ignore_errors=True)
    shutil.rmtree(OUT / "identity-files", ignore_errors=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "false",
           "DJANGO_SETTINGS_MODULE": "config.settings", "REDIS_URL": "",
           "FILES_DIR": str(OUT / "identity-files")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for command in ("migrate", "load_setagaya", "load_procedures"):
        _manage(env, command, "-v0")
    port, idp_port = free_port(), free_port()
    base, issuer = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{idp_port}/o"
    idp_env = {**env, "DJANGO_SETTINGS_MODULE": "madoguchi.demo_idp.settings",
               "DEMO_IDP_DIR": str(idp_dir), "DEMO_IDP_ISSUER": issuer}
    portal = in_subprocess(idp_env, issuer, f"{base}/portal/login/card/callback/")
    with _uvicorn("madoguchi.demo_idp.asgi:application", idp_port, idp_env, "identity-idp"), \
            _uvicorn("config.asgi:application", port, {**env, **portal}, "identity-uvicorn"):
        figures = _measure(base, chromium)
    figures.update({"database": "SQLite (scratch, var/bench/identity.sqlite3)",
                    "provider": "demo identity provider (django-oauth-toolkit, own process)",
                    "cpus": os.cpu_count()})
    return figures


def rows(figures: dict) -> list[tuple[str, str, str]]:
    table = [("figure", "median ms", "p95 ms")]
    if "skipped" in figures:
        table.append(("login → receipt (skipped)", figures["skipped"][:60], ""))
        return table
    result = figures.get("login_to_receipt")
    if result:
        table.append(("login button → receipt (要介護認定, demo IdP)",
                      f"{result['median_ms']:.0f}", f"{result['p95_ms']:.0f}"))
    if figures.get("login_to_logged_in"):
        part = figures["login_to_logged_in"]
        table.append(("  of which: login button → logged in", f"{part['median_ms']:.0f}",
                      f"{part['p95_ms']:.0f}"))
    table.append(("failed runs", str(figures["failures"]), ""))
    return table
