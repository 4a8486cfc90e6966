"""Migrations bring an empty database to head, and the models match the migrated schema."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from learnpath import create_app
from learnpath.extensions import db
from learnpath.factory import normalise_database_url


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    base = os.environ.get("LEARNPATH_TEST_DATABASE_URL")
    if not base:
        pytest.skip("PostgreSQL variant: set LEARNPATH_TEST_DATABASE_URL to run it")
    base = normalise_database_url(base)
    name = f"learnpath_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_to_head_matches_the_models(empty_database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], "models changed without a migration: run `learnpath db migrate`"
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() in ([], ["alembic_version"])
        upgrade()
        db.engine.dispose()
