"""Shared helpers for the xAPI and Open Badges tests: learning activity and LRS servers."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from learnpath.extensions import db
from learnpath.modules import authoring as module_authoring
from learnpath.modules import learning as module_learning
from learnpath.modules import services as modules
from learnpath.paths import enrolments as paths
from learnpath.paths.catalog import import_path_text
from learnpath.skills import services as skills

QUIZ_MODULE = """---
title: Feedback that lands
language: en
pass: 50          # one right of two completes it (the default asks for both)
---

# Feedback that lands

Describe what you saw.

<quiz>
What comes **first**?
- [x] The behaviour
- [ ] Your judgement
</quiz>

<quiz>
Which are good habits?
- [x] Be specific
- [x] Ask a question
- [ ] Wait three months
</quiz>
"""

DUTCH_MODULE = """---
title: Feedback die landt
language: nl
translation_of: feedback-that-lands
---

# Feedback die landt

Beschrijf wat je zag.
"""

LRS_USER, LRS_PASSWORD = "learnpath", "lrs-secret-for-tests"

# Ralph's LRS app under uvicorn, as `ralph runserver -b fs` starts it, with one change: the file
# backend writes every POST with operation "create" to the same file, so its second POST fails
# ("already exists ... not allowed", HTTP 500). A real LRS stores many batches: append instead.
RALPH_SERVER = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def build_catalog():
    """A skill with an ESCO URI, an en module with a quiz, its nl translation and a path."""
    skills.import_skills(
        "- slug: giving-feedback\n  name: {nl: Feedback geven, en: Giving feedback}\n"
        "  esco: http://data.europa.eu/esco/skill/2a8b4c6b-7a0c-4d0e-9a3b-1f2e3d4c5b6a\n"
        "- slug: listening\n  name: {nl: Luisteren, en: Listening}\n")
    english = module_authoring.create_module("feedback-that-lands", QUIZ_MODULE)
    module_authoring.publish(english, None)
    dutch = module_authoring.create_module("feedback-die-landt", DUTCH_MODULE)
    module_authoring.publish(dutch, None)
    result = import_path_text(
        "slug: feedback\ntitle: {nl: Feedback geven, en: Feedback basics}\nkind: horizontal\n"
        "description: {nl: Leer feedback geven., en: Learn to give feedback.}\n"
        "targets:\n  - {skill: giving-feedback, level: 2}\n  - {skill: listening, level: 1}\n"
        "steps:\n  - {module: feedback-that-lands}\n  - {module: feedback-die-landt}\n",
        "paths/feedback.yml")
    assert result.status == "created", [str(e) for e in result.errors]
    db.session.commit()
    return paths.get_path("feedback")


def learn(user, path, answers=({0}, {0, 2})):
    """Enrol, take the quiz (one right, one wrong by default: passed) and complete both
    modules (the quiz module only when the answers reach its pass mark)."""
    paths.enrol(user, path)
    version = modules.get_published("feedback-that-lands").current_version
    module_learning.submit_quiz(user, version, {q.id: set(a) for q, a in
                                        zip(version.questions, answers, strict=True)})
    if module_learning.quiz_state(user, version).passed:  # below the pass mark it stays open
        module_learning.complete_module(user, modules.get_published("feedback-that-lands"))
    module_learning.complete_module(user, modules.get_published("feedback-die-landt"))
    db.session.commit()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeLrs:
    """A tiny HTTP server answering with scripted status codes (then 200), recording requests."""

    def __init__(self):
        self.script: list[int] = []
        self.requests: list[tuple[str, str, object]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                fake.requests.append((self.command, self.path, body))
                status = fake.script.pop(0) if fake.script else 200
                payload = b"[]" if status == 200 else b'{"detail": "scripted"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_PUT = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xAPI/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class RalphLrs:
    """Ralph's LRS (`ralph runserver -b fs`) on a free loopback port with a temp app dir."""

    def __init__(self, workdir: Path):
        import bcrypt

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI/"
        app_dir = workdir / "ralph-app"
        app_dir.mkdir(parents=True)
        hashed = bcrypt.hashpw(LRS_PASSWORD.encode(), bcrypt.gensalt(4)).decode()
        (app_dir / "auth.json").write_text(json.dumps([{
            "agent": {"mbox": "mailto:learnpath@example.org", "objectType": "Agent"},
            "scopes": ["all"], "hash": hashed, "username": LRS_USER}]))
        # What `ralph runserver -b fs` does, without its CLI extra (that pins an old click).
        env = dict(os.environ, RALPH_APP_DIR=str(app_dir), RALPH_RUNSERVER_BACKEND="fs",
                   RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH=str(workdir / "lrs-data"))
        self.log = (workdir / "ralph.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-c", RALPH_SERVER, str(self.port)],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=str(workdir))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ralph exited: {(workdir / 'ralph.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        self.close()
        raise RuntimeError(f"ralph did not start: {(workdir / 'ralph.log').read_text()}")

    def get(self, **params) -> dict:
        import requests

        response = requests.get(f"{self.url}statements/", params=params, timeout=10,
                                auth=(LRS_USER, LRS_PASSWORD),
                                headers={"X-Experience-API-Version": "1.0.3"})
        response.raise_for_status()
        return response.json()

    def statements_of(self, agent: dict) -> list[dict]:
        found, params = [], {"agent": json.dumps(agent), "limit": 500}
        data = self.get(**params)
        found.extend(data["statements"])
        while data.get("more"):
            import requests

            response = requests.get(f"http://127.0.0.1:{self.port}{data['more']}", timeout=10,
                                    auth=(LRS_USER, LRS_PASSWORD),
                                    headers={"X-Experience-API-Version": "1.0.3"})
            response.raise_for_status()
            data = response.json()
            found.extend(data["statements"])
        return found

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def ralph_available() -> bool:
    """Ralph's LRS app and what runs it are installed (found, not imported: importing
    ralph.api builds its default backend)."""
    from importlib.util import find_spec

    return all(find_spec(name) is not None
               for name in ("ralph", "bcrypt", "requests", "uvicorn", "fastapi"))


def require_ralph():
    if not ralph_available():
        if os.environ.get("LEARNPATH_TEST_REQUIRE_ALL"):
            pytest.fail("LEARNPATH_TEST_REQUIRE_ALL is set but Ralph's LRS is not installed")
        pytest.skip("Ralph's LRS is not installed: pip install -e '.[test]' installs "
                    "ralph-malph[lrs] for the round-trip tests")
