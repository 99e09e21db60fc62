"""Settings for Newsroom, read from environment variables.

Development defaults are safe to run on a laptop (SQLite, local-memory cache, DEBUG on).
Production is switched on with ``DJANGO_ENV=production`` and then refuses to start
without a real ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from newsroom import logs
from newsroom.addresses import parse_networks
from newsroom.env import env, env_bool, env_float, env_int, env_list
from newsroom.related_settings import RELATED_STORIES  # noqa: F401 (a setting)

BASE_DIR = Path(__file__).resolve().parent.parent


PRODUCTION = env("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

_DEV_SECRET = "dev-only-insecure-secret-key-change-me"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", _DEV_SECRET)
if PRODUCTION and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "taggit",
    "django_prose_editor",
    "reversion",
    # The project package first: its mechanisms (page cache, templating, warm-up) are filled
    # in by the apps' ready(). No correctness depends on this order: articles.events says
    # the order of what follows a save (tests/articles/test_app_order.py).
    "newsroom",
    "articles",
    "desk",
    "ratings",
    "wordpress",
    "live",
    "demo",
    "cdn",
    "wire",
    "rest_framework",  # the public API (api/) and its OpenAPI schema
    "drf_spectacular",
    "api",
    "newsletters",
]

MIDDLEWARE = [
    # Times every request (newsroom/metrics.py), then gives it its id and logs it
    # (newsroom/logs.py): first, so both see everything below.
    "newsroom.metrics.MetricsMiddleware",
    "newsroom.logs.RequestIdMiddleware",
    # First: forwarded headers from anyone but TRUSTED_PROXIES are dropped before Django's
    # HTTPS redirect (SECURE_PROXY_SSL_HEADER) or anything else reads them.
    "newsroom.addresses.ForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsroom.security.SecurityHeadersMiddleware",
    # A NUL in a query string is a 400 before any view passes it to the database.
    "newsroom.params.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Public pages: the address says the language; the admin: the editor's choice.
    "newsroom.locale.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "newsroom.siteurl.RequestOriginMiddleware",
    # Old WordPress addresses → imported stories (301); acts on 404s and /?p=<id> only.
    "wordpress.redirects.WordPressRedirectMiddleware",
    # /api/ only: keys and limits, for kept answers too (api/access.py).
    "api.access.ApiAccessMiddleware",
    "newsroom.pagecache.PageCacheMiddleware",
    "newsroom.outage.DatabaseOutageMiddleware",
    # Readers' GET/HEAD reads go to a replica when DATABASE_REPLICA_URLS lists some. After
    # the outage middleware: its process_exception sees a replica's failure first and has the
    # request run again on the primary instead of answering 503.
    "newsroom.replicas.ReplicaMiddleware",
    "newsroom.storage.MediaStorageErrorMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "newsroom.login_throttle.LoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    # Readers' pages: Jinja2 (newsroom/templating.py says why). Looked up first; a name it
    # does not have falls through to Django's templates (the admin, the desk, feeds).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "newsroom.templating.environment",
            # Edited templates show at the next request outside production, DEBUG on or off
            # (scripts/serve runs with it off).
            "auto_reload": not PRODUCTION,
            "context_processors": [
                "django.template.context_processors.i18n",
                "newsroom.context_processors.site",
                "articles.context_processors.navigation",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "newsroom.context_processors.site",
                "articles.context_processors.navigation",
            ],
        },
    },
]

# SQLite for a first run; PostgreSQL in production (DATABASE_URL=postgres://...).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        # Off by default: a health check is a "SELECT 1" round trip at the start of every
        # request that reuses its connection, a second round trip for a story page or a third
        # of a vote's. Without it, after PostgreSQL restarts each worker's first request finds
        # its connection dead and answers a clean 503 (newsroom/outage.py), and Django closes
        # the connection so the next request opens a new one.
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side prepared statements (psycopg 3): a statement run DB_PREPARE_THRESHOLD
    # times on a connection is prepared, and PostgreSQL stops planning it on every request
    # (planning was most of the story page's database time). They need server-side
    # parameter binding and live on the server connection, so a pooler that hands one
    # server connection to several clients between transactions (PgBouncer before 1.21 in
    # transaction mode) must set DB_PREPARED_STATEMENTS=false.
    if env_bool("DB_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"] = {
            **DATABASES["default"].get("OPTIONS", {}),
            "server_side_binding": True,
            "prepare_threshold": env_int("DB_PREPARE_THRESHOLD", 5),
        }
if env("DATABASE_TEST_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("DATABASE_TEST_NAME")}
# Read replicas (PostgreSQL streaming replicas of DATABASE_URL), comma-separated: readers'
# page reads go to them, everything else stays on the primary (newsroom/replicas.py).
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS")
for _number, _url in enumerate(DATABASE_REPLICA_URLS):
    _replica = dj_database_url.parse(
        _url,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=DATABASES["default"]["CONN_HEALTH_CHECKS"],
    )
    _engines = {_replica["ENGINE"], DATABASES["default"]["ENGINE"]}
    if _engines != {"django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URLS: replicas are PostgreSQL streaming replicas of a "
            "PostgreSQL DATABASE_URL (postgres://...)."
        )
    # A replica that does not answer is skipped after this long, not waited on.
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 1)
    # Tests run on the primary's test database: a replica is the same data.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{_number}"] = _replica
if DATABASE_REPLICA_URLS:
    DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"]
# A replica further behind the primary than this is skipped until it catches up.
REPLICA_MAX_LAG_SECONDS = env_float("REPLICA_MAX_LAG_SECONDS", 5.0)
# Each process checks each replica's lag at most this often.
REPLICA_CHECK_SECONDS = env_float("REPLICA_CHECK_SECONDS", 1.0)
# A replica that failed is skipped this long, then probed by one request.
REPLICA_BREAKER_SECONDS = env_float("REPLICA_BREAKER_SECONDS", 10.0)
# After a write (a vote, a sign-in) the client reads from the primary this long (a cookie).
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 10)
REPLICA_STICKY_COOKIE = "newsroom_primary"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
REDIS_CACHE_OPTIONS = {
    # A Redis outage makes the site slower, not broken: cache misses instead of 500s.
    "IGNORE_EXCEPTIONS": True,
    # Redis answers in a millisecond; a hung one costs this much, once per
    # CACHE_BREAKER_SECONDS per process (newsroom/cache.py).
    "SOCKET_CONNECT_TIMEOUT": 0.25,
    "SOCKET_TIMEOUT": 0.25,
}
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis, with every operation (touch() too) degrading: newsroom/cache.py.
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# After a cache failure each process skips Redis this long, then probes it with one call.
CACHE_BREAKER_SECONDS = env_float("CACHE_BREAKER_SECONDS", 10.0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Interface in Canadian English; every string is marked for translation so fr-CA can follow.
LANGUAGE_CODE = "en-ca"
LANGUAGES = [("en-ca", _("English")), ("fr-ca", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["newsroom.formats"]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "newsroom.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Media on any S3-compatible object store when a bucket is named, so several app servers
# share uploads; local disk otherwise. Credentials come from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY (read by boto3). MEDIA_URL must be the bucket's public address.
if env("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "newsroom.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME"),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN"),
            "querystring_auth": False,  # public photos: stable URLs a CDN can cache
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
    if not env("MEDIA_URL"):
        MEDIA_URL = (
            f"https://{env('AWS_S3_CUSTOM_DOMAIN')}/"
            if env("AWS_S3_CUSTOM_DOMAIN")
            else f"{(env('AWS_S3_ENDPOINT_URL') or 'https://s3.amazonaws.com').rstrip('/')}/"
            f"{env('AWS_STORAGE_BUCKET_NAME')}/"
        )
# Outside production WhiteNoise serves the source folders (static/ and the apps') with
# DEBUG on or off, so `scripts/serve` can run with DEBUG off, showing the site's own 404
# and 500 pages, without collectstatic; production serves the collected, hashed files.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Local media in production: best served by the web server in front (docs/how-to/production.md);
# SERVE_MEDIA=true lets Django serve it for a single-server setup.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)

LOGIN_URL = "admin:login"

# Security: strict by default in production, relaxed only where local HTTP needs it.
# X-Forwarded-Proto is believed only from TRUSTED_PROXIES (ForwardedHeadersMiddleware).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Load balancers probe /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Mail to the newsroom (desk/notifications.py, sent by the worker): printed to the console in
# development, sent over SMTP in production with the EMAIL_* variables below.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587 if PRODUCTION else 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", PRODUCTION)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds per SMTP connect or answer: mails leave from the web process when a story moves,
# so a hung mail server holds that save this long (then the failure is logged).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 5)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Whole-page cache for public pages (newsroom/pagecache/): on by default with Redis,
# 0 turns it off. CDN and browser lifetimes go in Cache-Control.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600 if REDIS_URL else 0)
PAGE_CACHE_LOCAL_SECONDS = env_float("PAGE_CACHE_LOCAL_SECONDS", 1.0 if REDIS_URL else 0)
PAGE_CDN_MAX_AGE = env_int("PAGE_CDN_MAX_AGE", 60)
# stale-while-revalidate on public pages, sent only when CDN_PURGE_BACKEND purges changed
# pages (newsroom/pagecache/middleware.py says why); 0: never.
PAGE_CDN_STALE_SECONDS = env_int("PAGE_CDN_STALE_SECONDS", 60)
PAGE_BROWSER_MAX_AGE = env_int("PAGE_BROWSER_MAX_AGE", 0)
# A vote does not throw the cached story page away: its rating numbers (and the JSON-LD
# aggregateRating) may lag the votes by at most this many seconds (plus the worker's own
# PAGE_CACHE_LOCAL_SECONDS copy). The live numbers come from /ratings/<id>/ in any case.
PAGE_RATINGS_LAG_SECONDS = env_int("PAGE_RATINGS_LAG_SECONDS", 60)
# How long the proxy in front (nginx, deploy/nginx/) may keep a public page for anonymous
# readers: pagecache marks such answers with X-Accel-Expires; 0 marks none. Reads of a busy
# story are then answered by nginx instead of queueing behind votes for a sync worker. An
# unpublished story may stay visible that long (nginx: up to one second more) on top of the
# PAGE_CACHE_LOCAL_SECONDS copy.
PAGE_PROXY_SECONDS = env_int("PAGE_PROXY_SECONDS", 1)
# The cache in front (Varnish or a CDN) is told to forget a changed page by its surrogate
# keys, from the worker, whenever the page cache is invalidated (cdn/).
CDN_PURGE_BACKEND = env("CDN_PURGE_BACKEND", "none").strip().lower()
CDN_PURGE_BACKENDS = ("none", "varnish", "fastly", "cloudflare", "cloudfront")
if CDN_PURGE_BACKEND not in CDN_PURGE_BACKENDS:
    raise ImproperlyConfigured(
        f"CDN_PURGE_BACKEND must be one of {', '.join(CDN_PURGE_BACKENDS)}, "
        f"got {CDN_PURGE_BACKEND!r}."
    )
# Varnish: the addresses purges are sent to (each Varnish in front), comma-separated.
CDN_PURGE_URLS = env_list("CDN_PURGE_URLS")
if CDN_PURGE_BACKEND == "varnish" and not CDN_PURGE_URLS:
    raise ImproperlyConfigured(
        "CDN_PURGE_BACKEND=varnish needs CDN_PURGE_URLS (http://varnish:80)."
    )
CDN_FASTLY_SERVICE_ID = env("CDN_FASTLY_SERVICE_ID", "")
CDN_FASTLY_API_TOKEN = env("CDN_FASTLY_API_TOKEN", "")
CDN_CLOUDFLARE_ZONE_ID = env("CDN_CLOUDFLARE_ZONE_ID", "")
CDN_CLOUDFLARE_API_TOKEN = env("CDN_CLOUDFLARE_API_TOKEN", "")
CDN_CLOUDFRONT_DISTRIBUTION_ID = env("CDN_CLOUDFRONT_DISTRIBUTION_ID", "")
# Seconds per purge request; a CDN that does not answer is skipped for CDN_BREAKER_SECONDS.
CDN_PURGE_TIMEOUT = env_float("CDN_PURGE_TIMEOUT", 2.0)
CDN_BREAKER_SECONDS = env_float("CDN_BREAKER_SECONDS", 10.0)
# A second purge this long after the first removes a copy fetched in the meantime from what
# could still hold the old page: a request rendering as the save committed, another app
# process's local copy (PAGE_CACHE_LOCAL_SECONDS), nginx's (PAGE_PROXY_SECONDS, one more).
CDN_REPURGE_SECONDS = env_float(
    "CDN_REPURGE_SECONDS", PAGE_CACHE_LOCAL_SECONDS + PAGE_PROXY_SECONDS + 2.0
)
# Admin sign-in throttle (newsroom/login_throttle.py).
LOGIN_FAILURES_PER_USER = env_int("LOGIN_FAILURES_PER_USER", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
LOGIN_KNOWN_ADDRESS_DAYS = env_int("LOGIN_KNOWN_ADDRESS_DAYS", 90)
# bench/load.py turns on a minimal view (/bench/hello/) to measure the server's ceiling.
NEWSROOM_BENCH = env_bool("NEWSROOM_BENCH", False)

# Uploads: refuse huge request bodies before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644

# Logs: JSON lines with the request id (newsroom/logs.py), or text for a developer's console.
LOG_FORMAT = env("LOG_FORMAT", "json" if PRODUCTION else "text")
try:
    LOGGING = logs.logging_config(env("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING"), LOG_FORMAT)
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
# Errors to Sentry as well, when a DSN is set and the SDK installed (the "sentry" extra).
SENTRY_DSN = env("SENTRY_DSN", "")
logs.start_sentry(SENTRY_DSN, "production" if PRODUCTION else "development")

# /metrics (newsroom/metrics.py): only for these client addresses or networks, or with
# "Authorization: Bearer <METRICS_TOKEN>"; everyone else gets 404.
METRICS_ALLOWED_ADDRESSES = env_list("METRICS_ALLOWED_ADDRESSES")
try:
    parse_networks(METRICS_ALLOWED_ADDRESSES)
except ValueError as exc:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_ADDRESSES: {exc}") from exc
METRICS_TOKEN = env("METRICS_TOKEN", "")
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 32 random characters.")
# A Celery worker serves its own series (its tasks') on this port; unset: none.
WORKER_METRICS_PORT = env_int("WORKER_METRICS_PORT", None)

# Newsroom's own settings.
SITE_NAME = env("SITE_NAME", "The Maple Ledger")
# Unset: the address each request came to (newsroom/siteurl.py). Set it in production.
SITE_URL = env("SITE_URL", "").rstrip("/")
NEWSROOM_PAGE_SIZE = env_int("NEWSROOM_PAGE_SIZE", 20)
# The home page's automatic lead is a "lead story" candidate of the last this many hours.
FRONT_PAGE_LEAD_HOURS = env_int("FRONT_PAGE_LEAD_HOURS", 12)

# The public API (api/): limits per minute, counted in Redis (not while it is down); 0: none.
API_ANONYMOUS_REQUESTS_PER_MINUTE = env_int("API_ANONYMOUS_REQUESTS_PER_MINUTE", 60)
API_KEY_REQUESTS_PER_MINUTE = env_int("API_KEY_REQUESTS_PER_MINUTE", 600)
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 20)
# Who may read is decided before the views (api/access.py): no user, session, CSRF, parsers.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.FormatParameter",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {"TITLE": f"{SITE_NAME} API", "VERSION": "1.0.0"}

# Live coverage (live/, docs/architecture/live.md): how often an open page asks for new
# updates (seconds, with ±20 % jitter), how long a CDN may keep the live pages and their
# update endpoint, and how many updates a page shows before "Older updates".
LIVE_POLL_SECONDS = env_float("LIVE_POLL_SECONDS", 10)
LIVE_CDN_SECONDS = env_int("LIVE_CDN_SECONDS", 5)
LIVE_PAGE_SIZE = env_int("LIVE_PAGE_SIZE", 20)

# Newsletters (docs/architecture/newsletters.md); each setting is in docs/settings.md.
NEWSLETTER_EMAIL_BACKEND = env("NEWSLETTER_EMAIL_BACKEND", EMAIL_BACKEND)
NEWSLETTER_FROM_EMAIL = env("NEWSLETTER_FROM_EMAIL", DEFAULT_FROM_EMAIL)
NEWSLETTER_POSTAL_ADDRESS = env("NEWSLETTER_POSTAL_ADDRESS", "")
NEWSLETTER_RATE_PER_SECOND = env_float("NEWSLETTER_RATE_PER_SECOND", 50.0)
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 200)
NEWSLETTER_LEASE_SECONDS = env_int("NEWSLETTER_LEASE_SECONDS", 120)
NEWSLETTER_CONFIRMATION_DAYS = env_int("NEWSLETTER_CONFIRMATION_DAYS", 7)
NEWSLETTER_LINK_DAYS = env_int("NEWSLETTER_LINK_DAYS", 400)
# A digest whose send time passed longer ago than this (no worker was running) is not sent.
NEWSLETTER_SCHEDULE_GRACE_MINUTES = env_int("NEWSLETTER_SCHEDULE_GRACE_MINUTES", 120)
ANYMAIL = {
    "REQUESTS_TIMEOUT": EMAIL_TIMEOUT,  # providers' APIs too (anymail's default: 30 s)
    "WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", ""),
    "MAILGUN_API_KEY": env("ANYMAIL_MAILGUN_API_KEY", ""),
    "MAILGUN_WEBHOOK_SIGNING_KEY": env("ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY", ""),
    "POSTMARK_SERVER_TOKEN": env("ANYMAIL_POSTMARK_SERVER_TOKEN", ""),
}

# Photo renditions (pixels wide), served through srcset.
PHOTO_RENDITION_WIDTHS = [320, 640, 960, 1280]
PHOTO_MAX_UPLOAD_BYTES = env_int("PHOTO_MAX_UPLOAD_BYTES", 15 * 1024 * 1024)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000)
# "ukraine" finds the existing "Ukraine" instead of creating a near-duplicate tag.
TAGGIT_CASE_INSENSITIVE = True

# The proxies in front of the app servers (addresses or networks, e.g. 127.0.0.1 for nginx
# on the same host): forwarded headers (X-Forwarded-For, X-Forwarded-Proto…) count only on
# connections from them (newsroom/addresses.py). Empty: no forwarded header is believed.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
try:
    parse_networks(TRUSTED_PROXIES)
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc
# The old setting trusted X-Forwarded-For from any peer, so a deployment still setting it
# must not start believing it has the protection it asked for.
if env_int("TRUSTED_PROXY_COUNT", 0):
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT is no longer read: it trusted X-Forwarded-For from any client. "
        "Remove it and list your proxies' addresses in TRUSTED_PROXIES instead "
        "(e.g. TRUSTED_PROXIES=127.0.0.1 for nginx on the same host)."
    )
# Per client address: votes per minute on any story, and different voters per story per window.
RATINGS_VOTES_PER_MINUTE = env_int("RATINGS_VOTES_PER_MINUTE", 60)
RATINGS_VOTERS_PER_ADDRESS = env_int("RATINGS_VOTERS_PER_ADDRESS", 300)
RATINGS_ADDRESS_WINDOW_HOURS = env_int("RATINGS_ADDRESS_WINDOW_HOURS", 24)
# Newsletter sign-ups per hour, per client address and per email (newsletters/signup_limits.py).
NEWSLETTER_SIGNUPS_PER_ADDRESS = env_int("NEWSLETTER_SIGNUPS_PER_ADDRESS", 20)
NEWSLETTER_SIGNUPS_PER_EMAIL = env_int("NEWSLETTER_SIGNUPS_PER_EMAIL", 3)

# Related stories: newsroom/related_settings.py (the engine's weights and switches).

# Background work (Celery). Web processes queue tasks; `scripts/worker` runs them. Without a
# broker (the first run on SQLite) tasks run in the process that queued them, once its
# transaction has committed, so a newcomer needs no second command. Production sets a broker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Never connected to (tasks run in-process); stops Celery guessing an AMQP server.
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_DEFAULT_QUEUE = "default"
# The related-stories engine has one owner at a time: its tasks go to their own queue, which
# `scripts/worker` consumes with a single process (and a database lock guards the rest).
CELERY_TASK_ROUTES = {
    f"articles.tasks.{name}": {"queue": "related"}
    for name in ("refresh_story", "rebuild_related", "warm_related_index")
}
# Purges of the cache in front (cdn/) must not wait behind renditions or a rebuild: their own
# queue, which `scripts/worker` consumes with one small process when CDN_PURGE_BACKEND is set.
CELERY_TASK_ROUTES["cdn.tasks.purge"] = {"queue": "purge"}
CELERY_TASK_ROUTES["newsletters.tasks.*"] = {"queue": "newsletters"}  # one paced sender
# Choosing what is due takes a moment and must not wait behind an issue being sent.
CELERY_TASK_ROUTES["newsletters.tasks.send_scheduled"] = {"queue": "default"}
# A task is acknowledged when it has finished, not when it starts: a worker killed in the
# middle leaves it on the queue for another one (Redis hands it out again after the
# visibility timeout; the reconciliation sweep repairs sooner, see articles/tasks.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # A hung broker (it accepts and never answers) must not hold an editor's save: without
    # these a publish waits forever (gunicorn kills the worker at 30 s). The worker's BRPOP
    # is watched by kombu's own health check, not by this timeout.
    "socket_connect_timeout": 0.5,
    "socket_timeout": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
# One attempt per task sent: the reconciliation sweep is the retry (articles/events.py), and
# retries would multiply the wait of a save while the broker hangs.
CELERY_TASK_PUBLISH_RETRY = False
# After a failed send each process stops sending for this long (the sweep catches up).
BROKER_BREAKER_SECONDS = env_float("BROKER_BREAKER_SECONDS", 10.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Seconds between reconciliation sweeps (stale related lists, missing renditions).
RECONCILE_INTERVAL = env_int("RECONCILE_INTERVAL", 60)
# Work due for longer than this is taken as lost and queued again by the sweep; younger work is
# probably still on its way (tests/production/test_two_servers.py sets a few seconds).
RECONCILE_GRACE_SECONDS = env_int("RECONCILE_GRACE_SECONDS", 30)
CELERY_BEAT_SCHEDULE = {
    "reconcile": {"task": "articles.tasks.reconcile", "schedule": float(RECONCILE_INTERVAL)},
    "newsletters": {"task": "newsletters.tasks.resume_sending", "schedule": RECONCILE_INTERVAL},
    # At the top of each minute, so a 7:00 a.m. digest starts at 7:00, not up to 7:00:59.
    "newsletters-scheduled": {
        "task": "newsletters.tasks.send_scheduled",
        "schedule": crontab(minute="*"),
        "options": {"expires": 55},  # a late one is replaced by the next minute's
    },
}
# A nightly full rebuild relearns the text model from the whole archive (new words, new
# topics) and stores a fresh index snapshot; saves in between only update the lists.
if env_bool("RELATED_NIGHTLY_REBUILD", True):
    CELERY_BEAT_SCHEDULE["rebuild-related"] = {
        "task": "articles.tasks.rebuild_related",
        "schedule": crontab(hour=4, minute=15),
    }
CELERY_TIMEZONE = TIME_ZONE

# The wire (wire/, docs/how-to/wire.md): agency items from a watched folder and a signed push.
WIRE_INBOX_DIR = env("WIRE_INBOX_DIR", "")
WIRE_PUSH_SECRET = env("WIRE_PUSH_SECRET", "")
if PRODUCTION and WIRE_PUSH_SECRET and len(WIRE_PUSH_SECRET) < 32:
    raise ImproperlyConfigured("WIRE_PUSH_SECRET must be at least 32 random characters.")
WIRE_EXPIRY_DAYS = env_int("WIRE_EXPIRY_DAYS", 14)
WIRE_POLL_SECONDS = env_int("WIRE_POLL_SECONDS", 30)
WIRE_MAX_PUSH_BYTES = env_int("WIRE_MAX_PUSH_BYTES", 5 * 1024 * 1024)
WIRE_MAX_PICTURE_BYTES = env_int("WIRE_MAX_PICTURE_BYTES", 30 * 1024 * 1024)
# The poll also takes pushed items whose task was lost; the expiry runs at night.
CELERY_BEAT_SCHEDULE["wire-poll"] = {
    "task": "wire.tasks.poll",
    "schedule": float(WIRE_POLL_SECONDS),
}
CELERY_BEAT_SCHEDULE["wire-expire"] = {
    "task": "wire.tasks.expire",
    "schedule": crontab(hour=3, minute=40),
}
