"""Browser tests: the real app on a local port, driven by Playwright in Debian's Chromium."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from learnpath import create_app
from learnpath.demo import create_demo_organisation
from learnpath.extensions import db
from learnpath.modules.importer import import_paths

CONTENT = Path(__file__).resolve().parent.parent.parent / "content"
CHROMIUM = os.environ.get("LEARNPATH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def pytest_collection_modifyitems(config, items):
    # Under pytest-xdist (--dist loadgroup) all browser tests share one worker, so the live
    # server, the demo organisation and Chromium start once, and they run in file order.
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.xdist_group("e2e"))
    if shutil.which(CHROMIUM) is None and not os.path.exists(CHROMIUM):
        if os.environ.get("LEARNPATH_TEST_REQUIRE_ALL"):  # CI: a missing browser is a failure
            raise pytest.UsageError(f"LEARNPATH_TEST_REQUIRE_ALL is set but there is no "
                                    f"Chromium at {CHROMIUM}")
        skip = pytest.mark.skip(reason=f"browser tests need Chromium at {CHROMIUM} "
                                       "(apt-get install -y chromium)")
        for item in items:
            if "e2e" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app behind live_server, for tests that set up their own data first."""
    folder = tmp_path_factory.mktemp("e2e")
    app = create_app({
        "TESTING": True,
        "WTF_CSRF_ENABLED": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'e2e.db'}",
        "SEARCH_INDEX_DIR": str(folder / "index"),
        "LOGIN_RATE_LIMIT": "1000 per minute",
    })
    with app.app_context():
        db.create_all()
        report = import_paths([CONTENT], content_root=CONTENT)
        assert report.ok, [(f.name, [str(e) for e in f.errors]) for f in report.files]
        create_demo_organisation()
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    """Serve a CSRF-protected app with the demo organisation on a free local port."""
    app = live_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server
