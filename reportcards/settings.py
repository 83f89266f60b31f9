"""Settings from the environment (DESIGN.md §9), with safe local defaults.

Nothing here needs a `.env` file: with no variables set you get SQLite in WAL mode and
eager Celery tasks, so `make run` works on a laptop with nothing else installed.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The fallback key only exists so a fresh checkout runs; production refuses it below.
INSECURE_DEV_KEY = "django-insecure-local-development-only-key-do-not-deploy"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEV_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "statutes",
    "assessments",
    "reportcards",
    "discussions",
    "ninja",  # its bundled Swagger UI files: the API docs load nothing from a CDN
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so the policy is on every answer, also the ones a later middleware gives
    # itself (no-access page, two-factor and login redirects, refused addresses).
    "csp.middleware.CSPMiddleware",
    "reportcards.middleware.RefuseControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the first middleware that reads the database: a request whose connection was
    # lost before it wrote anything is run again (docs/architecture.md, "Locks").
    "reportcards.middleware.RetryOnLostConnectionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.RoleRequiredMiddleware",
    "accounts.two_factor.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# A form body may be up to 10 MB (Django's default is 2.5 MB), far above anything the
# forms accept (a narrative holds 20,000 characters): an oversized text still reaches its
# form, which returns it as typed with the limit explained. A larger body gets the 400
# page of reportcards.views.bad_request, which says nothing was saved.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, reading the session's user with their groups (the roles).
    "accounts.backends.ModelBackendWithGroups",
]
# Login throttling: five wrong passwords for a username from one address lock it for
# 15 minutes; a successful login resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, the
# connection's address is the client's); see accounts/client_address.py.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_address"
# Publishers and admins confirm their login with a TOTP code (accounts/two_factor.py); on in
# the production settings, off here so development and tests log in with a password alone.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)
OTP_TOTP_ISSUER = "Report Cards"

# Everything the pages load comes from this site; no inline scripts anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],  # Bootstrap's style attributes
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "reportcards.urls"

# Requests per token (or signed-in user) to the read-only API (api/views.py). Counted in
# Django's default cache: per server process unless CACHES names a shared one.
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="100/min")
WSGI_APPLICATION = "reportcards.wsgi.application"

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
                "reportcards.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a task writes; the busy timeout rides out the
    # short write locks instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/Chicago"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
# Published PDFs and export ZIPs are written and read only through the storage API, so a
# shared store can hold them for several machines: e.g. STORAGE_BACKEND=
# storages.backends.s3.S3Storage with STORAGE_OPTIONS='{"bucket_name": "..."}' (django-storages,
# docs/production.md). The default is MEDIA_ROOT on this machine.
STORAGES = {
    "default": {
        "BACKEND": env.str(
            "STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env.json("STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND", default="django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Celery: no REDIS_URL means tasks run in-process (eager), the embedded default.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# No result backend: tasks record their outcome in the database (scores, export jobs), and
# a Redis result backend would make every publish wait on it during an outage.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing happens after a user's request committed; with the broker down we want to
# fail fast (the cycle stays marked stale and the sweep re-queues it), not hang the page.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

# Publish and export jobs (reportcards/jobs.py, docs/production.md "Jobs that always finish").
# A running job renews its lease at every step and rendered page; the beat sweep re-queues a
# job whose lease ran out (its worker is gone), at most JOB_MAX_ATTEMPTS runs in all.
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=90)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
# A task running longer than this is killed (prefork pool); its lease then runs out.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
# No ack emulation on Redis: a message leaves Redis when a worker takes it. With emulation
# on, Celery 5.7.0 exits the worker when Redis goes away while it holds a message and waits
# on the queue ("Unrecoverable error: AttributeError ... 'hostname'", docs/production.md
# "When Redis restarts"). Nothing depends on Redis giving a message back: a queued job whose
# message was lost is sent again, a running job whose worker died is retried when its lease
# runs out, and a lost recompute is queued again by the score sweep; a worker stopped
# normally still puts the messages it had not started back on the queue.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "ack_emulation": False,
}
# Dotted path of a callable run with the job at each step of a job; tests set it to slow
# jobs down enough to kill a worker mid-way. Empty in production.
JOB_STEP_HOOK = env.str("JOB_STEP_HOOK", default="")

# Recomputes of a cycle coalesce (assessments/recompute.py): the first change queues one
# that starts this many seconds later, and changes meanwhile join it, so a burst of
# approvals costs one or two recomputes. A queued or running recompute not heard of for
# SCORE_RECOMPUTE_LOST_AFTER seconds (worker killed, message lost) is queued again.
SCORE_RECOMPUTE_DELAY = env.float("SCORE_RECOMPUTE_DELAY", default=2.0)
SCORE_RECOMPUTE_LOST_AFTER = env.float("SCORE_RECOMPUTE_LOST_AFTER", default=120.0)

# E-mail (notifications): django-environ's EMAIL_URL, e.g. smtp+tls://user:pass@host:587;
# the console backend (mail printed to the log) by default.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Report Cards <report-cards@localhost>")
# Where links in e-mails point: the address people open the app at.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Demo passwords are printed by `make run`; they are refused whenever DEBUG is off.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="report-cards-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
