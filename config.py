"""Configuration classes; every value can be overridden with a LEARNPATH_* environment variable."""

import os

DEV_SECRET_KEY = "dev-only-insecure-secret-key"


def env(name: str, default: str | None = None) -> str | None:
    """Return the LEARNPATH_<name> environment variable, or the default."""
    return os.environ.get(f"LEARNPATH_{name}", default)


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Embedded defaults: SQLite and the whoosh index in the instance folder, memory rate limits."""

    SECRET_KEY = env("SECRET_KEY", DEV_SECRET_KEY)
    # None means: a SQLite file in the instance folder (filled in by create_app).
    SQLALCHEMY_DATABASE_URI = env("DATABASE_URL")
    SEARCH_INDEX_DIR = env("SEARCH_INDEX_DIR")  # None: <instance>/search-index
    CONTENT_DIR = env("CONTENT_DIR")  # None: the content/ folder of the source tree

    RATELIMIT_STORAGE_URI = env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = env("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    # Invitation and password-reset links (accounts/invitations.py, accounts/reset.py).
    INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
    RESET_LINK_MINUTES = env_int("RESET_LINK_MINUTES", 60)
    RESET_RATE_LIMIT_CLIENT = env("RESET_RATE_LIMIT_CLIENT", "5 per minute;20 per hour")
    RESET_RATE_LIMIT_ADDRESS = env("RESET_RATE_LIMIT_ADDRESS", "3 per hour")
    # OpenID Connect single sign-on (accounts/sso.py); off while OIDC_ISSUER is empty.
    OIDC_ISSUER = env("OIDC_ISSUER", "")
    OIDC_CLIENT_ID = env("OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", "")
    OIDC_SCOPES = env("OIDC_SCOPES", "openid email profile")
    # Comma-separated e-mail domains whose people get an account on their first sign-in.
    OIDC_JIT_DOMAINS = env("OIDC_JIT_DOMAINS", "")
    # Hide password sign-in, except for these (comma-separated) administrators' addresses.
    OIDC_SSO_ONLY = env_bool("OIDC_SSO_ONLY", False)
    OIDC_BREAK_GLASS_EMAILS = env("OIDC_BREAK_GLASS_EMAILS", "")
    # SCIM provisioning (accounts/scim.py): the User attribute (enterprise extension first)
    # that names a person's team.
    SCIM_TEAM_ATTRIBUTE = env("SCIM_TEAM_ATTRIBUTE", "department")
    # Requests per personal access token on /api/v1 (one bucket per token, across workers).
    API_RATE_LIMIT = env("API_RATE_LIMIT", "120 per minute;3000 per hour")

    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host (0: none,
    # the headers are ignored). Set it to 1 behind one TLS-terminating proxy, or every sign-in
    # shares the proxy's address for the login rate limit.
    PROXY_HOPS = env_int("PROXY_HOPS", 0)

    # Aggregates are shown only when at least this many people contribute; never below 3.
    ANONYMITY_THRESHOLD = max(3, env_int("ANONYMITY_THRESHOLD", 5))

    # Raw activity events, pulse answers and audit entries older than this are folded into the
    # weekly aggregates and deleted by `learnpath privacy prune` (run it from cron).
    RETENTION_MONTHS = env_int("RETENTION_MONTHS", 24)

    # Absolute links in e-mails (reminders) point here.
    BASE_URL = env("BASE_URL", "http://127.0.0.1:5000")
    MAIL_SERVER = env("MAIL_SERVER", "localhost")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USERNAME = env("MAIL_USERNAME")
    MAIL_PASSWORD = env("MAIL_PASSWORD")
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_DEFAULT_SENDER = env("MAIL_DEFAULT_SENDER", "learnpath@localhost")

    # xAPI: statements are forwarded to this Learning Record Store by `learnpath xapi push`
    # (the LRS endpoint, e.g. https://lrs.example.org/xAPI/); empty: statements stay queued.
    XAPI_LRS_URL = env("XAPI_LRS_URL", "")
    XAPI_LRS_USERNAME = env("XAPI_LRS_USERNAME", "")
    XAPI_LRS_PASSWORD = env("XAPI_LRS_PASSWORD", "")
    XAPI_BATCH_SIZE = env_int("XAPI_BATCH_SIZE", 100)
    XAPI_RETRIES = env_int("XAPI_RETRIES", 4)  # per request, with exponential backoff
    XAPI_BACKOFF_SECONDS = float(env("XAPI_BACKOFF_SECONDS", "1") or 1)
    XAPI_TIMEOUT = env_int("XAPI_TIMEOUT", 10)
    # Key of the opaque per-person id in statements (HMAC of the user id); SECRET_KEY when
    # empty. Changing it gives everyone a new identity in the LRS.
    XAPI_ACTOR_KEY = env("XAPI_ACTOR_KEY", "")

    # Open Badges: the issuer of path certificates.
    ORGANISATION_NAME = env("ORGANISATION_NAME", "learnpath")
    ORGANISATION_URL = env("ORGANISATION_URL", "")  # empty: BASE_URL

    LANGUAGES = ("en", "nl")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = env("TIMEZONE", "Europe/Amsterdam")

    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 16 * 1024 * 1024)
    WTF_CSRF_TIME_LIMIT = env_int("CSRF_TIME_LIMIT", 8 * 3600)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * env_int("REMEMBER_DAYS", 30)

    PER_PAGE = 25

    # How new passwords are hashed (werkzeug's generate_password_hash method, e.g. "scrypt" or
    # "pbkdf2:sha256:600000"). Existing hashes keep working whatever is set: each names its own.
    PASSWORD_HASH_METHOD = env("PASSWORD_HASH_METHOD", "scrypt")


class TestingConfig(Config):
    """Fast, isolated settings for the test suite; the CSRF tests switch CSRF back on."""

    TESTING = True
    SECRET_KEY = "testing-secret-key"
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    XAPI_BACKOFF_SECONDS = 0.01
    XAPI_RETRIES = 2
    XAPI_TIMEOUT = 5
    # One PBKDF2 round instead of scrypt's ~130 ms: the suite hashes hundreds of passwords.
    # Production hashing is checked by tests/test_auth.py.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"


class ProductionConfig(Config):
    """Hardened cookies; refuses to start without a real secret key (checked in create_app)."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "default": Config,
    "development": Config,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
