"""The search index as derived data: stamps, rebuilds, repair, the CLI and other processes."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from learnpath import search
from learnpath.extensions import db
from learnpath.modules import authoring
from learnpath.search import index
from learnpath.search.models import CatalogChange, CatalogStamp

ROOT = Path(__file__).resolve().parent.parent


def source(title, body="Some text."):
    return f"---\ntitle: {title}\nlanguage: en\nduration: 5\n---\n\n# {title}\n\n{body}\n"


@pytest.fixture
def publish(app):
    def factory(slug, title, body="Some text."):
        module = authoring.create_module(slug, source(title, body))
        authoring.publish(module, None)
        db.session.commit()
        return module

    return factory


def stamp_version() -> int:
    return db.session.scalar(select(CatalogStamp.version)) or 0


def test_each_committing_transaction_raises_the_stamp_once_and_logs_its_modules(publish):
    first = publish("one", "First")
    assert stamp_version() == 1
    second = authoring.create_module("two", source("Second"))
    authoring.publish(second, None)
    authoring.archive(first)
    db.session.commit()
    assert stamp_version() == 2
    logged = db.session.execute(select(CatalogChange.version, CatalogChange.module_id)
                                .order_by(CatalogChange.id)).all()
    assert logged == [(1, first.id), (2, first.id), (2, second.id)]


def test_a_rolled_back_transaction_leaves_stamp_and_index_alone(publish):
    publish("one", "First walrus")
    module = authoring.create_module("two", source("Second walrus"))
    authoring.publish(module, None)
    db.session.rollback()
    assert stamp_version() == 1
    assert search.search("walrus").total == 1


def test_an_import_in_savepoints_is_indexed_when_the_outer_transaction_commits(app, tmp_path):
    from learnpath.modules.importer import import_paths

    folder = tmp_path / "modules" / "en"
    folder.mkdir(parents=True)
    (folder / "imported-heron.md").write_text(source("Imported heron"))
    assert search.search("").total == 0
    report = import_paths([tmp_path], content_root=tmp_path)
    assert report.ok
    assert search.search("heron").total == 0  # each file went through a released savepoint
    db.session.commit()
    assert search.search("heron").total == 1


def test_rebuild_indexes_every_published_module(app, publish):
    publish("one", "First")
    publish("two", "Second")
    authoring.unpublish(publish("three", "Third"))
    db.session.commit()
    seen = []
    assert search.rebuild(progress=lambda done, total: seen.append((done, total))) == 2
    assert seen == [(1, 2), (2, 2)]
    assert search.search("").total == 2


def test_reindex_command_shows_progress(app, runner, publish):
    publish("one", "First")
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 1 published modules." in result.output


def test_a_missing_index_directory_is_rebuilt(app, publish):
    publish("one", "Lost otter")
    index.current().forget()
    for entry in Path(app.config["SEARCH_INDEX_DIR"]).iterdir():
        entry.unlink()
    Path(app.config["SEARCH_INDEX_DIR"]).rmdir()
    assert search.search("otter").total == 1


def test_a_corrupt_index_is_rebuilt_not_a_crash(app, publish, client, login_as):
    publish("one", "Damaged beaver")
    folder = Path(app.config["SEARCH_INDEX_DIR"])
    for entry in folder.iterdir():
        if entry.name != index.LOCK_FILE and not entry.name.endswith(".json"):
            entry.write_bytes(b"\x00garbage" * 10)
    index.current().forget()
    assert search.search("beaver").total == 1
    (folder / index.META_FILE).write_text("{not json")
    login_as()
    response = client.get("/modules?q=beaver")
    assert response.status_code == 200 and "Damaged" in response.get_data(as_text=True)


def test_an_index_of_another_database_is_rebuilt(app, publish):
    publish("one", "Original heron")
    meta_file = Path(app.config["SEARCH_INDEX_DIR"]) / index.META_FILE
    meta = json.loads(meta_file.read_text())
    meta["epoch"] = "another-database"
    meta_file.write_text(json.dumps(meta))
    assert search.search("heron").total == 1
    assert json.loads(meta_file.read_text())["epoch"] != "another-database"


def test_a_search_answers_from_the_current_index_while_another_writer_holds_the_lock(
        app, publish, monkeypatch):
    publish("one", "Patient crane")
    monkeypatch.setattr("learnpath.search.services.SEARCH_WAIT", 0.05)
    catalog = index.current()
    with catalog._exclusive(1.0) as locked:
        assert locked
        module = authoring.create_module("two", source("Second crane"))
        authoring.publish(module, None)
        db.session.commit()  # the index update waits for the lock, then gives up
        assert search.search("crane").total >= 1
    assert search.search("crane").total == 2


SECOND_PROCESS = """
import sys
from learnpath import create_app
from learnpath.extensions import db
from learnpath.modules import authoring

app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sys.argv[1],
                  "SEARCH_INDEX_DIR": sys.argv[2]})
with app.app_context():
    module = authoring.create_module("from-elsewhere", sys.argv[3])
    authoring.publish(module, None)
    db.session.commit()
"""


def test_a_module_published_by_another_process_is_found_after_the_staleness_check(
        app, publish, tmp_path):
    publish("local", "Local module")
    assert search.search("").total == 1
    build = index.current().meta().build
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SECOND_PROCESS),
         app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path / "other-index"),
         source("Flamingo from elsewhere", "Pink flamingo text.")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "LEARNPATH_INSTANCE_PATH": str(tmp_path / "other-instance")})
    assert completed.returncode == 0, completed.stderr
    result = search.search("flamingo")
    assert [hit.module.slug for hit in result.hits] == ["from-elsewhere"]
    meta = index.current().meta()
    assert meta.build == build  # caught up incrementally, not rebuilt
    assert meta.version == db.session.scalar(select(func.max(CatalogStamp.version)))
