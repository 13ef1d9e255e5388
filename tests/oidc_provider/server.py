"""Start the test OpenID Connect provider as a real HTTP server process."""

from __future__ import annotations

import html
import os
import re
import secrets
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from madoguchi.demo_idp.prepare import in_subprocess
from tests.browser.conftest import PROJECT_ROOT, _free_port, uvicorn_server
from tests.oidc_provider.users import PASSWORD

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEXT_FIELD = re.compile(r'name="next" value="([^"]*)"')


def _rsa_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


@dataclass
class Provider:
    url: str
    issuer: str
    client_id: str
    client_secret: str
    env: dict = field(repr=False)

    def allow_redirect(self, uri: str) -> None:
        """Register one more redirect URI of madoguchi (e.g. a live server's)."""
        _prepare(self.env, self.client_id, self.client_secret, uri)

    def portal_settings(self, **overrides) -> dict:
        """madoguchi's PORTAL_OIDC_* settings for this provider."""
        values = {"PORTAL_OIDC_ISSUER": self.issuer, "PORTAL_OIDC_DISCOVERY_URL": "",
                  "PORTAL_OIDC_CLIENT_ID": self.client_id,
                  "PORTAL_OIDC_CLIENT_SECRET": self.client_secret,
                  "PORTAL_OIDC_SCOPES": "openid profile email",
                  "PORTAL_OIDC_ACR_VALUES": "urn:example:acr:mynumbercard",
                  "PORTAL_OIDC_STRONG_ACR": ["urn:example:acr:mynumbercard"],
                  "PORTAL_OIDC_USERINFO": False, "PORTAL_OIDC_TIMEOUT_SECONDS": 10}
        values.update(overrides)
        return values

    def login(self, authorize_url: str, username: str) -> str:
        """Play the resident at the provider over real HTTP: open the authorization URL,
        log in as ``username``; returns the URL the provider sends the browser back to."""
        with requests.Session() as browser:
            answer = browser.get(authorize_url, allow_redirects=False, timeout=10)
            assert answer.status_code == 302, answer.text[:500]
            login_page = browser.get(urljoin(self.url, answer.headers["Location"]), timeout=10)
            token = CSRF_FIELD.search(login_page.text).group(1)
            after = html.unescape(NEXT_FIELD.search(login_page.text).group(1))
            answer = browser.post(login_page.url, data={
                "csrfmiddlewaretoken": token, "username": username, "password": PASSWORD,
                "next": after}, headers={"Referer": login_page.url}, allow_redirects=False,
                timeout=10)
            assert answer.status_code == 302, answer.text[:500]
            answer = browser.get(urljoin(self.url, answer.headers["Location"]),
                                 allow_redirects=False, timeout=10)
            assert answer.status_code == 302, answer.text[:500]
            return answer.headers["Location"]


def _prepare(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "tests.oidc_provider.prepare", *args],  # noqa: S603
                   cwd=PROJECT_ROOT, env=env, check=True, capture_output=True, timeout=120)


@contextmanager
def run_provider(folder: Path, *redirect_uris: str):
    """The provider on a free port with a fresh database and RS256 key; yields Provider."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
           "OP_DATABASE": str(folder / "provider.sqlite3"), "OP_ISSUER": f"{url}/o",
           "OP_RSA_PRIVATE_KEY": _rsa_key_pem(), "OP_SECRET_KEY": secrets.token_urlsafe(32)}
    provider = Provider(url=url, issuer=f"{url}/o", client_id="madoguchi-portal",
                        client_secret=secrets.token_urlsafe(24), env=env)
    _prepare(env, provider.client_id, provider.client_secret, *redirect_uris)
    with uvicorn_server("tests.oidc_provider.asgi:application", env,
                        folder / "provider.log", port=port):
        yield provider


DEMO_BUTTON = re.compile(r'name="resident" value="([^"]+)"')


@dataclass
class DemoProvider:
    """The demo identity provider of ``make run`` (madoguchi/demo_idp), run as in bin/run."""

    url: str
    settings: dict
    env: dict = field(repr=False)

    @property
    def issuer(self) -> str:
        return self.settings["PORTAL_OIDC_ISSUER"]

    def allow_redirect(self, uri: str) -> None:
        in_subprocess(self.env, self.issuer, uri)

    def portal_settings(self) -> dict:
        """madoguchi's PORTAL_OIDC_* settings as bin/run exports them, typed."""
        values = dict(self.settings)
        values["PORTAL_OIDC_STRONG_ACR"] = [values["PORTAL_OIDC_STRONG_ACR"]]
        values["PORTAL_OIDC_USERINFO"] = values["PORTAL_OIDC_USERINFO"] == "true"
        values["PORTAL_OIDC_DEMO"] = values["PORTAL_OIDC_DEMO"] == "true"
        return values

    def login(self, authorize_url: str, username: str = "demo-hanako") -> str:
        """Play the resident at the demo provider: one click on ``username``'s button;
        returns the URL it sends the browser back to."""
        with requests.Session() as browser:
            answer = browser.get(authorize_url, allow_redirects=False, timeout=10)
            assert answer.status_code == 302, answer.text[:500]
            page = browser.get(urljoin(self.url, answer.headers["Location"]), timeout=10)
            assert "デモ" in page.text and username in DEMO_BUTTON.findall(page.text)
            token = CSRF_FIELD.search(page.text).group(1)
            after = html.unescape(NEXT_FIELD.search(page.text).group(1))
            answer = browser.post(page.url, data={
                "csrfmiddlewaretoken": token, "resident": username, "next": after},
                headers={"Referer": page.url}, allow_redirects=False, timeout=10)
            assert answer.status_code == 302, answer.text[:500]
            answer = browser.get(urljoin(self.url, answer.headers["Location"]),
                                 allow_redirects=False, timeout=10)
            assert answer.status_code == 302, answer.text[:500]
            return answer.headers["Location"]


@contextmanager
def run_demo_provider(folder: Path, *redirect_uris: str):
    """The demo provider on a free port with its own folder (key, secret, database)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "madoguchi.demo_idp.settings",
           "DEMO_IDP_DIR": str(folder), "DEMO_IDP_ISSUER": f"{url}/o"}
    values = in_subprocess(env, f"{url}/o", *redirect_uris)
    with uvicorn_server("madoguchi.demo_idp.asgi:application", env,
                        folder / "provider.log", port=port):
        yield DemoProvider(url=url, settings=values, env=env)
