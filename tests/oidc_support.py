"""A real OpenID provider for the single sign-on tests: oidc-provider (npm) run by Node.js.

`.ci/run` installs it (npm ci in tests/oidc). Without Node.js or the package the tests are
skipped with the reason, except under LEARNPATH_TEST_REQUIRE_ALL (CI), where that fails.
"""

import json
import os
import re
import shutil
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from test_reminders import free_port

OIDC_DIR = Path(__file__).parent / "oidc"
NODE = shutil.which("node") or "/usr/bin/node"
CLIENT_ID = "learnpath-test"
CLIENT_SECRET = "learnpath-test-secret-0123456789abcdef"
ACCOUNTS = {
    "unverified@example.com": {"email": "unverified@example.com", "email_verified": False,
                               "name": "Not Verified"},
    "entra@example.com": {"email": "entra@example.com", "xms_edov": True, "name": "Entra"},
}


def _missing() -> str | None:
    if not os.path.exists(NODE):
        return "single sign-on tests need Node.js (node) to run the OpenID provider"
    if not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        return ("single sign-on tests need the npm package oidc-provider: run "
                "`npm ci` in tests/oidc (as .ci/run does)")
    return None


def require_provider() -> None:
    reason = _missing()
    if reason:
        if os.environ.get("LEARNPATH_TEST_REQUIRE_ALL"):
            pytest.fail(f"LEARNPATH_TEST_REQUIRE_ALL is set but {reason}")
        pytest.skip(reason)


class Provider:
    def __init__(self, redirect_uris, post_logout_redirect_uris):
        require_provider()
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        config = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                  "redirect_uris": redirect_uris,
                  "post_logout_redirect_uris": post_logout_redirect_uris,
                  "accounts": ACCOUNTS}
        self.process = subprocess.Popen(
            [NODE, str(OIDC_DIR / "provider.mjs"), str(self.port), json.dumps(config)],
            cwd=OIDC_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(self.issuer + "/.well-known/openid-configuration", timeout=1)
                break
            except requests.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("oidc-provider did not start: "
                                       + (self.process.stdout.read() or "")) from None
                time.sleep(0.1)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def configure(self, app, **extra):
        app.config.update(OIDC_ISSUER=self.issuer, OIDC_CLIENT_ID=CLIENT_ID,
                          OIDC_CLIENT_SECRET=CLIENT_SECRET, **extra)


@pytest.fixture(scope="session")
def oidc_provider():
    provider = Provider(["http://localhost/sso/callback"], ["http://localhost/login"])
    yield provider
    provider.stop()


def _form_action(page: str, url: str) -> str:
    match = re.search(r'<form[^>]*action="([^"]+)"', page)
    assert match, page[:2000]
    return urljoin(url, unescape(match.group(1)))


def sign_in_at_provider(authorize_url: str, login: str, stop_at: str = "http://localhost/"):
    """Play the person at the provider's (development) login and consent pages; return the
    URL the provider sends the browser back to (our callback, with code and state)."""
    browser = requests.Session()
    url = authorize_url
    for _step in range(12):
        response = browser.get(url, allow_redirects=False, timeout=10)
        while response.status_code in (302, 303):
            url = urljoin(url, response.headers["Location"])
            if url.startswith(stop_at):
                return url
            response = browser.get(url, allow_redirects=False, timeout=10)
        assert response.status_code == 200, (response.status_code, response.text[:2000])
        page = response.text
        action = _form_action(page, url)
        if 'name="login"' in page:
            data = {"prompt": "login", "login": login, "password": "any"}
        else:
            data = {"prompt": "consent"}
        response = browser.post(action, data=data, allow_redirects=False, timeout=10)
        assert response.status_code in (302, 303), response.text[:2000]
        url = urljoin(action, response.headers["Location"])
        if url.startswith(stop_at):
            return url
    raise AssertionError("the provider never sent the browser back")


def query(url: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def local(url: str) -> str:
    """The path and query of a URL on the test app."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")
