"""The named steps create_app runs; each wires one concern into the app."""

import os
import re
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

import config as config_module
from learnpath.extensions import babel, csrf, db, limiter, login_manager, migrate

SOURCE_ROOT = Path(__file__).resolve().parent.parent


def bundled(name: str) -> Path:
    """The source tree's `migrations` or `content` folder, or the installed copy.

    A checkout or editable install has them beside the package; `pip install .` puts them in
    <prefix>/share/learnpath/ (pyproject.toml, data-files).
    """
    beside = SOURCE_ROOT / name
    if beside.is_dir():
        return beside
    import sys

    for prefix in (sys.prefix, sys.base_prefix):
        installed = Path(prefix) / "share" / "learnpath" / name
        if installed.is_dir():
            return installed
    return beside


def instance_path() -> str | None:
    """Return LEARNPATH_INSTANCE_PATH when set; Flask's default otherwise."""
    path = os.environ.get("LEARNPATH_INSTANCE_PATH")
    return str(Path(path).resolve()) if path else None


_PASSWORD_HASH_METHOD = re.compile(r"scrypt(:\d+:\d+:\d+)?|pbkdf2(:[a-z0-9_]+(:\d+)?)?")


def _check_password_hash_method(method: str) -> None:
    """Refuse an unknown method at start-up rather than on the first password someone sets."""
    if not _PASSWORD_HASH_METHOD.fullmatch(method):
        raise RuntimeError(f"Unknown LEARNPATH_PASSWORD_HASH_METHOD {method!r}: use werkzeug's "
                           "'scrypt[:n:r:p]' or 'pbkdf2[:hash[:iterations]]'.")


def load_config(app: Flask, config=None) -> None:
    """Load a config class, name or mapping; fill in the embedded defaults; refuse unsafe setups."""
    if config is None:
        config = os.environ.get("LEARNPATH_CONFIG", "default")
    if isinstance(config, str):
        if config not in config_module.CONFIGS:
            raise RuntimeError(f"Unknown LEARNPATH_CONFIG {config!r}")
        config = config_module.CONFIGS[config]
    if isinstance(config, dict):
        app.config.from_object(config_module.TestingConfig if config.get("TESTING") else
                               config_module.Config)
        app.config.update(config)
    else:
        app.config.from_object(config)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        db_file = Path(app.instance_path) / "learnpath.db"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_file}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SEARCH_INDEX_DIR"):
        app.config["SEARCH_INDEX_DIR"] = str(Path(app.instance_path) / "search-index")
    if not app.config.get("CONTENT_DIR"):
        app.config["CONTENT_DIR"] = str(bundled("content"))
    production = bool(app.config.get("SESSION_COOKIE_SECURE"))
    if (app.config.get("SECRET_KEY") == config_module.DEV_SECRET_KEY and not app.testing
            and not production):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
    app.config["ANONYMITY_THRESHOLD"] = max(3, int(app.config.get("ANONYMITY_THRESHOLD", 5)))
    _check_password_hash_method(app.config.get("PASSWORD_HASH_METHOD") or "scrypt")

    if production and not app.testing and str(
            app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://"):
        app.logger.warning(
            "Rate limits are counted per worker process (memory://): set "
            "LEARNPATH_RATELIMIT_STORAGE_URI=redis://... so all workers and hosts share them.")
    if app.config.get("SESSION_COOKIE_SECURE") and not app.testing:
        key = app.config.get("SECRET_KEY") or ""
        if key == config_module.DEV_SECRET_KEY or len(key) < 32:
            raise RuntimeError(
                "LEARNPATH_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (for example: python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))')."
            )


def _instance_secret_key(instance: Path) -> str:
    """Keep a random per-installation key in the instance folder for the embedded setup."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given in the common short forms."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """Give every SQLite connection WAL, a busy timeout and enforced foreign keys."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# The factory sits above every feature: it imports their blueprints and hooks inside the
# register_* functions, when an app is built, because learnpath/__init__.py imports this module
# and every feature module imports learnpath first; importing a foundation such as
# learnpath.timeutil must not pull in the whole app.


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    from learnpath import models  # noqa: F401  every table, for migrations and create_all
    from learnpath.web import dates, i18n, urls

    db.init_app(app)
    migrate.init_app(app, db, directory=str(bundled("migrations")), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    i18n.init_app(app)
    dates.init_app(app)
    urls.init_app(app)


def register_security(app: Flask) -> None:
    """Access rules on every endpoint, login loading and security headers."""
    from learnpath.accounts import auth
    from learnpath.web import access, headers, text

    auth.init_app(app)
    access.init_app(app)
    headers.init_app(app)
    text.init_app(app)
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        # Behind a reverse proxy: take the client address (rate limits, audit log) and the
        # scheme from the X-Forwarded-* headers set by that many trusted proxies.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_blueprints(app: Flask) -> None:
    """Mount each feature's blueprint."""
    from learnpath.accounts.admin_views import bp as admin_bp
    from learnpath.accounts.scim_views import bp as scim_bp
    from learnpath.accounts.signin_views import bp as signin_bp
    from learnpath.accounts.sso_views import bp as sso_bp
    from learnpath.accounts.views import bp as accounts_bp
    from learnpath.api import openapi
    from learnpath.api.pages import bp as api_pages_bp
    from learnpath.api.views import bp as api_bp
    from learnpath.badges.views import bp as badges_bp
    from learnpath.conversations.template_views import bp as check_in_templates_bp
    from learnpath.conversations.views import bp as conversations_bp
    from learnpath.engagement.dashboard_views import bp as engagement_dash_bp
    from learnpath.engagement.plan_views import bp as engagement_plans_bp
    from learnpath.engagement.views import bp as engagement_bp
    from learnpath.home.views import bp as home_bp
    from learnpath.modules.author_views import bp as author_bp
    from learnpath.modules.views import bp as modules_bp
    from learnpath.modules.write_views import bp as write_bp
    from learnpath.paths.author_views import bp as path_author_bp
    from learnpath.paths.views import bp as paths_bp
    from learnpath.privacy.views import bp as privacy_bp
    from learnpath.reviews.views import bp as reviews_bp
    from learnpath.search.views import bp as search_bp
    from learnpath.skills.views import bp as skills_bp
    from learnpath.xapi.api import bp as xapi_api_bp
    from learnpath.xapi.views import bp as xapi_admin_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(signin_bp)
    app.register_blueprint(sso_bp)
    app.register_blueprint(scim_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(search_bp)
    app.register_blueprint(modules_bp)
    app.register_blueprint(author_bp, url_prefix="/author")
    app.register_blueprint(write_bp, url_prefix="/author")
    app.register_blueprint(paths_bp)
    app.register_blueprint(engagement_dash_bp)
    app.register_blueprint(path_author_bp, url_prefix="/author/paths")
    app.register_blueprint(skills_bp, url_prefix="/author/paths/skills")
    app.register_blueprint(engagement_bp)
    app.register_blueprint(engagement_plans_bp)
    app.register_blueprint(xapi_admin_bp, url_prefix="/admin/xapi")
    app.register_blueprint(badges_bp)
    app.register_blueprint(conversations_bp)
    app.register_blueprint(check_in_templates_bp, url_prefix="/author/check-in-templates")
    app.register_blueprint(reviews_bp)
    openapi.init_app(app, api_bp, xapi_api_bp)  # registers them and documents them
    app.register_blueprint(api_pages_bp)
    app.register_blueprint(privacy_bp, url_prefix="/privacy")


def register_errorhandlers(app: Flask) -> None:
    """Friendly error pages in the user's language (features add their own formats)."""
    from learnpath.web import errors

    errors.init_app(app)


def register_features(app: Flask) -> None:
    """Each feature's own wiring: personal data, signal receivers, CLI commands, error formats.

    Lower features first (the layers in pyproject.toml), so a signal's receivers run in that
    order (paths completes a path before engagement records the completed module).
    """
    from learnpath.accounts import hooks as accounts
    from learnpath.api import hooks as api
    from learnpath.conversations import hooks as conversations
    from learnpath.engagement import hooks as engagement
    from learnpath.modules import hooks as modules
    from learnpath.paths import hooks as paths
    from learnpath.privacy import hooks as privacy
    from learnpath.reviews import hooks as reviews
    from learnpath.search import hooks as search
    from learnpath.xapi import hooks as xapi

    for feature in (accounts, modules, paths, search, reviews, engagement, conversations, privacy,
                    xapi, api):
        feature.init_app(app)


def register_commands(app: Flask) -> None:
    """Add the app-wide `learnpath quickstart` (features add their own commands)."""
    from learnpath import cli

    cli.init_app(app)


def freeze_startup_objects(app: Flask) -> None:
    """Move what start-up built (modules, templates, translations, the app) out of the garbage
    collector's reach.

    A web worker keeps these objects for its whole life, yet every full collection walks them
    again: some 100,000 objects, a pause of tens of milliseconds in whichever request triggers
    it, which is what a page's p99 shows. gc.freeze() is what the standard library offers for
    this (gunicorn's --preload docs recommend it too). Not under test: a test process builds many
    apps, and frozen objects are never collected.
    """
    if app.testing:
        return
    import gc

    gc.collect()
    gc.freeze()
