"""Settings for The Cancer Blog, read from the environment (see README and .env.example)."""

import logging
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from core.security import origin_of

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a local run).")
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
BASE_URL = env.str("BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[BASE_URL])
# Hosts the WordPress import may download images from although they resolve to this machine
# or a private network (imports.media refuses those otherwise).
IMPORT_ALLOWED_HOSTS = env.list("IMPORT_ALLOWED_HOSTS", default=[])
# The largest WordPress export an editor may upload in the admin (the command takes any size).
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_MB", default=100) * 1024 * 1024

INSTALLED_APPS = [
    "users",
    "core",
    "blog",
    "comments",
    "subscriptions",
    "submissions",
    "imports",
    "backups",
    "demo",  # `manage.py seed_demo` only: no production code imports it
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "users.wagtail_users_app.StaffUsersConfig",  # wagtail.users; adding a user invites them
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "anymail",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "core.requestlog.RequestLogMiddleware",  # part E: first, so it times everything
    "django.middleware.security.SecurityMiddleware",  # HTTPS redirect and HSTS on everything
    "imports.middleware.WordPressRedirectMiddleware",  # issue 7: /?p=ID before a cached home
    # Part D, issue 14: a stored page is served before the middlewares below do any work; the
    # page it stores carries their headers (CSP, permissions policy, frame options).
    "core.pagecache.PageCacheMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.security.AdminContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.badinput.RefuseImpossibleIdsMiddleware",  # issue 20: ids no row can have are 404
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "core.routes.RouteCacheMiddleware",  # issue 14: Wagtail's routing kept per generation
]

ROOT_URLCONF = "cancerblog.urls"
WSGI_APPLICATION = "cancerblog.wsgi.application"
AUTH_USER_MODEL = "users.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server and the task worker read while the other writes.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's database search uses PostgreSQL full-text search vectors and GIN indexes.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://cancerblog")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Issue 14: the same backend, one Redis client per pool rather than one per call.
    CACHES["default"]["BACKEND"] = "core.cache.RedisCache"
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

# Part D (issue 6): whole pages for anonymous readers, in CACHES["default"] (core/pagecache.py,
# invalidated by core/signals.py). PAGE_CACHE=off turns the server-side page cache off; the
# Cache-Control, ETag and 304 handling stay. Search results are kept only briefly.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_SHORT_PREFIXES = ("/search/",)
# Issue 14: each process keeps its last stored pages in memory too, and serves one only while
# the shared generation still matches it (core.pagecache.LocalCopies); 0 turns this off.
PAGE_CACHE_LOCAL_PAGES = env.int("PAGE_CACHE_LOCAL_PAGES", default=200)
# How long a process trusts the page-cache generation it last read from the shared cache before
# reading it again (core/pagecache.py RecentGeneration): a change made in another process is
# seen by this one at most this many seconds later.
PAGE_CACHE_GENERATION_SECONDS = env.float("PAGE_CACHE_GENERATION_SECONDS", default=0.1)
# A post's rendered comment thread is kept under the same generation, for the readers the
# whole-page cache does not serve (comments/templatetags/comments_tags.py).
COMMENT_THREAD_CACHE = env.bool("COMMENT_THREAD_CACHE", default=True)
COMMENT_THREAD_CACHE_SECONDS = 3600
# Issue 14: parts of public pages (a post's article, its related posts, the head's metadata,
# the header and footer, listings) kept under the same generation (core/fragments.py), as long
# as a stored page at most: what depends on the time (comments closing after N days) is never
# staler than a cached page would be.
FRAGMENT_CACHE = env.bool("FRAGMENT_CACHE", default=True)
FRAGMENT_CACHE_SECONDS = PAGE_CACHE_SECONDS
# Issue 14: each process keeps Wagtail's routing of a URL (site, page, view restrictions) for
# the same generation (core/routes.py): seven queries fewer per uncached page.
ROUTE_CACHE = env.bool("ROUTE_CACHE", default=True)
ROUTE_CACHE_SIZE = env.int("ROUTE_CACHE_SIZE", default=1000)
PAGE_CACHE_SHORT_SECONDS = env.int("PAGE_CACHE_SEARCH_SECONDS", default=60)
# Browsers revalidate every page (max-age 0: a 304 from the stored page when nothing changed),
# so a reader who has just commented never sees their browser's older copy.
PAGE_CACHE_BROWSER_SECONDS = env.int("PAGE_CACHE_BROWSER_SECONDS", default=0)
PAGE_CACHE_FRONT_SECONDS = env.int("FRONT_CACHE_SECONDS", default=60)
# With a process-local cache, the generation that invalidates pages is this file, so the task
# worker and the scheduler can invalidate the web server's pages.
PAGE_CACHE_GENERATION_FILE = env.path(
    "PAGE_CACHE_GENERATION_FILE", default=VAR_DIR / "pagecache-generation"
)
# A front cache (CDN, Varnish, nginx with a purge module) told which URLs to drop: an HTTP
# PURGE endpoint (FRONT_CACHE_PURGE_URL), or Cloudflare (CLOUDFLARE_ZONE_ID and
# CLOUDFLARE_API_TOKEN). Off when neither is set.
WAGTAILFRONTENDCACHE = {}
if env.str("FRONT_CACHE_PURGE_URL", default=""):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env.str("FRONT_CACHE_PURGE_URL"),
    }
if env.str("CLOUDFLARE_ZONE_ID", default=""):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env.str("CLOUDFLARE_ZONE_ID"),
        "BEARER_TOKEN": env.str("CLOUDFLARE_API_TOKEN"),
    }
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")

# Django's own tasks framework and the django_tasks backport that Wagtail 8 enqueues through
# both read TASKS, so one setting drives both.
_TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "immediate": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
}
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": _TASK_BACKENDS[TASKS_BACKEND]}
if TASKS_BACKEND == "rq":
    # Part E (several hosts): workers run `manage.py rqworker default --job-class
    # django_tasks_rq.Job --with-scheduler` (the scheduler moves deferred retries to the queue).
    # A job may run RQ_JOB_TIMEOUT seconds (RQ's own default, 180 s, would cut a large mailing).
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        "default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env.int("RQ_JOB_TIMEOUT", default=3600)}
    }

# Email: Django 6.1 mailers. Without EMAIL_URL, each message becomes one .eml file under
# var/mail/ so a person can open it in a mail client.
EMAIL_URL = env.str("EMAIL_URL", default="")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="The Cancer Blog <blog@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_URL:
    _email = environ.Env.email_url_config(EMAIL_URL)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email["EMAIL_HOST"],
                "port": _email["EMAIL_PORT"] or 25,
                "username": _email["EMAIL_HOST_USER"] or None,
                "password": _email["EMAIL_HOST_PASSWORD"] or None,
                "use_tls": bool(_email.get("EMAIL_USE_TLS")),
                "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "core.mail.EmlFileBackend",
            "OPTIONS": {"directory": str(VAR_DIR / "mail")},
        }
    }

# Email alerts. The weekly digest goes out on DIGEST_WEEKDAY (0 = Monday) from DIGEST_HOUR,
# local time. ALERT_SENDERS tasks send one mailing side by side: about one per task worker.
SUBSCRIPTIONS_DIGEST_WEEKDAY = env.int("DIGEST_WEEKDAY", default=0)
SUBSCRIPTIONS_DIGEST_HOUR = env.int("DIGEST_HOUR", default=8)
SUBSCRIPTIONS_SENDERS = env.int("ALERT_SENDERS", default=2)
if not (0 <= SUBSCRIPTIONS_DIGEST_WEEKDAY <= 6 and 0 <= SUBSCRIPTIONS_DIGEST_HOUR <= 23):
    raise ImproperlyConfigured("DIGEST_WEEKDAY must be 0-6 and DIGEST_HOUR 0-23.")

# Bounce and complaint webhooks from the email provider (django-anymail), at
# /anymail/<provider>/tracking/. Mailgun signs each payload with its webhook signing key;
# ANYMAIL_WEBHOOK_SECRET ("user:password") adds HTTP basic auth in front of every provider.
ANYMAIL = {
    "MAILGUN_WEBHOOK_SIGNING_KEY": env.str("MAILGUN_WEBHOOK_SIGNING_KEY", default=""),
}
if env.str("ANYMAIL_WEBHOOK_SECRET", default=""):
    ANYMAIL["WEBHOOK_SECRET"] = env.str("ANYMAIL_WEBHOOK_SECRET")

# Comments: an optional Akismet spam check; without a key, only the built-in checks run.
AKISMET_API_KEY = env.str("AKISMET_API_KEY", default="")
AKISMET_ENDPOINT = env.str("AKISMET_ENDPOINT", default="https://rest.akismet.com/1.1/comment-check")

# Guest submissions. Original Word documents and their images are kept in
# PRIVATE_MEDIA_ROOT, which has no URL: never point the web server at it. A declined
# submission's personal data is erased SUBMISSION_RETENTION_DAYS after the decision.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
SUBMISSIONS_DECLINED_RETENTION_DAYS = env.int("SUBMISSION_RETENTION_DAYS", default=180)
SUBMISSIONS_MAX_DOCX_BYTES = env.int("SUBMISSION_MAX_DOCX_MB", default=10) * 1024 * 1024
SUBMISSIONS_CONVERSION_TIMEOUT = env.int("SUBMISSION_CONVERSION_TIMEOUT", default=60)
if not 1 <= SUBMISSIONS_MAX_DOCX_BYTES // (1024 * 1024) <= 10:
    raise ImproperlyConfigured("SUBMISSION_MAX_DOCX_MB must be 1-10: the converter reads no more.")
if SUBMISSIONS_DECLINED_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("SUBMISSION_RETENTION_DAYS must be at least 1.")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# The typeface is cut from a pinned font package, not copied into the repository (core/webfonts.py).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "core.webfonts.FontFinder",
]
WEBFONT_BUILD_DIR = VAR_DIR / "webfonts"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# A single host without nginx: the app serves public media itself and compresses pages
# (core/media.py). Behind the shipped nginx, leave it off: nginx does both.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
if SERVE_MEDIA:
    MIDDLEWARE.insert(1, "django.middleware.gzip.GZipMiddleware")  # outside the page cache
if Path(PRIVATE_MEDIA_ROOT).resolve().is_relative_to(Path(MEDIA_ROOT).resolve()):
    raise ImproperlyConfigured(
        "PRIVATE_MEDIA_ROOT must not be inside MEDIA_ROOT: guest submissions would be public."
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

WAGTAIL_SITE_NAME = "The Cancer Blog"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "png", "gif": "png"}
WAGTAILEMBEDS_FINDERS = []  # embeds load on the reader's click, never fetched server-side
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
TAGGIT_CASE_INSENSITIVE = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies (nginx, a load balancer) stand in front of the app and append to
# X-Forwarded-For. 0 trusts only REMOTE_ADDR. Behind one nginx, set 1: otherwise every reader
# shares the proxy's address in rate limits and the sign-in lockout.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=BASE_URL.startswith("https://"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Part A (issue 6): Content Security Policy, Permissions-Policy and staff sessions.
# Public pages are cached whole, so their policy has no nonce, and no 'unsafe-inline'
# either: public templates carry no inline script or style. Wagtail's editor needs inline
# scripts and styles, so paths under ADMIN_CSP_PATHS get ADMIN_CSP (core/security.py).
_ASSET_ORIGINS = [o for o in {origin_of(MEDIA_URL), origin_of(STATIC_URL)} if o]
_VIDEO_PLAYERS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]  # blog/blocks.py
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, *_ASSET_ORIGINS],
    "style-src": [CSP.SELF, *_ASSET_ORIGINS],
    "img-src": [CSP.SELF, "data:", *_ASSET_ORIGINS],
    "font-src": [CSP.SELF, *_ASSET_ORIGINS],
    "frame-src": _VIDEO_PLAYERS,
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "upgrade-insecure-requests": BASE_URL.startswith("https://"),
}
ADMIN_CSP_PATHS = ["/admin/", "/django-admin/"]
ADMIN_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE, *_ASSET_ORIGINS],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE, *_ASSET_ORIGINS],
    "img-src": [CSP.SELF, "data:", "blob:", *_ASSET_ORIGINS],
    "frame-src": [CSP.SELF, *_VIDEO_PLAYERS],  # page previews
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],  # the preview panel frames the previewed page
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
    "upgrade-insecure-requests": BASE_URL.startswith("https://"),
}
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party avatars in the admin
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "browsing-topics",
        "camera",
        "geolocation",
        "interest-cohort",
        "microphone",
        "payment",
        "usb",
    )
}
# Staff sign in again after SESSION_HOURS; only staff have sessions (readers get no cookie).
SESSION_COOKIE_AGE = env.int("SESSION_HOURS", default=8) * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not 1 <= SESSION_COOKIE_AGE // 3600 <= 24 * 14:
    raise ImproperlyConfigured("SESSION_HOURS must be between 1 and 336 (two weeks).")

# Part B (issue 6): staff login lockout (django-axes) and two-factor authentication
# (django-otp). LOGIN_FAILURE_LIMIT failed sign-ins (or wrong codes) for one username from one
# address lock that pair out for LOGIN_LOCKOUT_MINUTES; axes sees the address only as a keyed
# hash (users/lockout.py). Staff must confirm a TOTP code after their password when
# ADMIN_2FA_REQUIRED is on (the default unless DEBUG); anyone who set up a device always does.
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "users.middleware.TwoFactorMiddleware",
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, as axes requires
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
ADMIN_2FA_REQUIRED = env.bool("ADMIN_2FA_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
# Issue 20: no trust on first use. New staff enrol from an emailed one-use link valid for
# ADMIN_INVITATION_HOURS; enrolling from a password-only sign-in is allowed only for accounts
# never invited and for ADMIN_2FA_ENROL_GRACE_DAYS after the account was made (or after this
# arrived, for older accounts); 0 means invitations only.
ADMIN_INVITATION_HOURS = env.int("ADMIN_INVITATION_HOURS", default=72)
ADMIN_2FA_ENROL_GRACE_DAYS = env.int("ADMIN_2FA_ENROL_GRACE_DAYS", default=7)
if not (1 <= ADMIN_INVITATION_HOURS <= 24 * 30 and 0 <= ADMIN_2FA_ENROL_GRACE_DAYS <= 365):
    raise ImproperlyConfigured(
        "ADMIN_INVITATION_HOURS must be 1-720, ADMIN_2FA_ENROL_GRACE_DAYS 0-365."
    )
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "users.lockout.pseudonymous_ip"
AXES_LOCKOUT_CALLABLE = "users.lockout.lockout_response"
AXES_CLIENT_STR_CALLABLE = "users.lockout.client_str"  # no secret path in its log lines
AXES_VERBOSE = False  # no banner line at every start of every command
AXES_DISABLE_ACCESS_LOG = True  # no log of successful sign-ins with addresses and browsers
AXES_RESET_ON_SUCCESS = False  # a right password does not clear the wrong codes that followed
if not (1 <= AXES_FAILURE_LIMIT <= 100 and 1 <= AXES_COOLOFF_TIME.total_seconds() // 60):
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT must be 1-100, LOGIN_LOCKOUT_MINUTES >= 1.")

# Part E (several hosts): logs go to stderr, one JSON object a line by default in production
# (LOG_FORMAT=json|text), with one line per request from core.requestlog.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "core.requestlog.JsonLines",
            "fmt": ["levelname", "name", "message"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    # Every line, whichever logger wrote it, goes through this one handler and its filter:
    # no query string, tokens in paths as `:token` (core.requestlog.ScrubSecrets).
    "filters": {"scrub_secrets": {"()": "core.requestlog.ScrubSecrets"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["scrub_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own handlers (a plain console with DEBUG on, runserver's request lines, error
    # emails to ADMINS) would print full paths and query strings: its loggers go to the root's.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
    },
}
# No log line prints a thread's name, a multiprocessing process's name or an asyncio task's:
# not collecting them makes every record cheaper (the logging HOWTO's "Optimization"; issue 14,
# one record per request). The process id stays: gunicorn's lines print it.
logging.logThreads = False
logging.logMultiprocessing = False
logging.logAsyncioTasks = False
