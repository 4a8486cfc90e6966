"""What a web worker does once at start-up so its requests do not pay for it later."""

import subprocess
import sys

PROBE = """
import gc
from learnpath import create_app
create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "k" * 40})
print(gc.get_freeze_count())
"""


def test_a_worker_freezes_what_start_up_built(tmp_path):
    """A full garbage collection in a request would walk every object the app built at start-up;
    a production app moves them out of the collector's reach (a subprocess: frozen objects are
    never collected, so the test process must not do it)."""
    env = {"LEARNPATH_INSTANCE_PATH": str(tmp_path), "PATH": "/usr/bin:/bin"}
    frozen = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                            text=True, check=True, timeout=120).stdout.split()[-1]
    assert int(frozen) > 10_000


def test_a_test_app_freezes_nothing(app):
    import gc

    assert gc.get_freeze_count() == 0
