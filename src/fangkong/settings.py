"""Django settings for Fangkong, read from the environment through fangkong.env."""

from pathlib import Path

import dj_database_url

from fangkong.env import (
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_optional,
    env_str,
    env_time,
    load_or_create_secrets,
)

BASE_DIR = Path(__file__).resolve().parent
FANGKONG_ENV = env_choice("FANGKONG_ENV", "development", {"development", "production", "test"})
PRODUCTION = FANGKONG_ENV == "production"
FANGKONG_HOME = Path(env_str("FANGKONG_HOME", "var")).resolve()
FANGKONG_HOME.mkdir(parents=True, exist_ok=True)

_secrets = load_or_create_secrets(FANGKONG_HOME)
SECRET_KEY = env_str("FANGKONG_SECRET_KEY", _secrets["secret_key"])
FIELD_ENCRYPTION_KEY = env_str("FANGKONG_FIELD_KEY", _secrets["field_key"])
FIELD_HASH_KEY = env_str("FANGKONG_HASH_KEY", _secrets["hash_key"])

DEBUG = env_bool("FANGKONG_DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("FANGKONG_ALLOWED_HOSTS", [] if PRODUCTION else ["*"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "huey.contrib.djhuey",
    "fangkong.core",
    "fangkong.accounts",
    "fangkong.people",
    "fangkong.ledger",
    "fangkong.monitoring",
    "fangkong.checkpoints",
    "fangkong.isolation",
    "fangkong.inbox",
    "fangkong.reporting",
    "fangkong.directives",
    "fangkong.channels",
    "fangkong.command",
    "fangkong.briefings",
    "fangkong.supplies",
    "fangkong.donations",
    "fangkong.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fangkong.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fangkong.urls"
WSGI_APPLICATION = "fangkong.wsgi.application"

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
                "fangkong.core.context_processors.navigation",
            ],
        },
    },
]

_database_url = env_optional("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": FANGKONG_HOME / "fangkong.sqlite3",
            "OPTIONS": {
                # WAL lets the web server read while the worker writes; IMMEDIATE makes a
                # writing transaction take the lock up front instead of failing half-way.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            # A file, not shared-cache memory, so tests of concurrent writers see SQLite's
            # real locking (waits on busy) instead of "table is locked" errors.
            "TEST": {"NAME": str(FANGKONG_HOME / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "fangkong.accounts.backends.OneQueryModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env_int("FANGKONG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_float("FANGKONG_LOGIN_COOLOFF_HOURS", 0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = FANGKONG_HOME / "static"
# WhiteNoise warns on every request cycle when the folder is missing (before collectstatic).
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = FANGKONG_HOME / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Uploads larger than this are refused before they are read (an Excel of 100 000 persons is
# about 8 MB).
FANGKONG_MAX_UPLOAD_MB = env_int("FANGKONG_MAX_UPLOAD_MB", 50)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Imports of more rows than this run in the background with a progress bar.
FANGKONG_IMPORT_SYNC_MAX_ROWS = env_int("FANGKONG_IMPORT_SYNC_MAX_ROWS", 2000)
FANGKONG_PAGE_SIZE = env_int("FANGKONG_PAGE_SIZE", 50)
# Epidemic thresholds (DESIGN §4.4), used by the modules built on this foundation.
FANGKONG_FEVER_THRESHOLD = env_float("FANGKONG_FEVER_THRESHOLD", 37.3)
FANGKONG_OBSERVATION_DAYS = env_int("FANGKONG_OBSERVATION_DAYS", 14)
# Daily reports are due by this time of the day they report on (reporting app).
FANGKONG_REPORT_DEADLINE = env_time("FANGKONG_REPORT_DEADLINE", "16:00")
# Units that have not signed for or answered a directive are reminded automatically once
# its deadline is this close (directives app).
FANGKONG_DIRECTIVE_REMIND_HOURS = env_int("FANGKONG_DIRECTIVE_REMIND_HOURS", 24)
FANGKONG_RETENTION_DAYS = env_int("FANGKONG_RETENTION_DAYS", 180)
FANGKONG_DISTRICT_CODE = env_str("FANGKONG_DISTRICT_CODE", "370305")
# Public self-registration (返乡登记): submissions and destination searches per IP and hour.
FANGKONG_SELF_REGISTRATION_PER_HOUR = env_int("FANGKONG_SELF_REGISTRATION_PER_HOUR", 10)
FANGKONG_SELF_REGISTRATION_SEARCHES = env_int("FANGKONG_SELF_REGISTRATION_SEARCHES", 600)
# QR pre-fill at checkpoints: submissions per IP within the window (seconds).
FANGKONG_PREFILL_RATE = env_int("FANGKONG_PREFILL_RATE", 20)
FANGKONG_PREFILL_WINDOW = env_int("FANGKONG_PREFILL_WINDOW", 600)
# The two daily health-log slots: when each opens and when it counts as missed.
FANGKONG_LOG_SLOTS = env_str("FANGKONG_LOG_SLOTS", "am=06:00-10:00,pm=14:00-18:00")

# Hosts the WeCom / DingTalk robot channels may call; nothing else is ever requested.
FANGKONG_CHANNEL_HOSTS = env_list(
    "FANGKONG_CHANNEL_HOSTS", ["qyapi.weixin.qq.com", "oapi.dingtalk.com"]
)
# Outgoing mail: the e-mail notification channels (docs/channels.md).
EMAIL_HOST = env_str("FANGKONG_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("FANGKONG_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_optional("FANGKONG_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_optional("FANGKONG_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("FANGKONG_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("FANGKONG_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("FANGKONG_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("FANGKONG_EMAIL_FROM", "fangkong@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the links in channel messages point ("https://fk.example.gov.cn"); relative if empty.
FANGKONG_BASE_URL = env_optional("FANGKONG_BASE_URL").rstrip("/")

_redis_url = env_optional("REDIS_URL")
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
        }
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "fangkong",
        "url": _redis_url,
        "immediate": False,
        "consumer": {"workers": env_int("FANGKONG_WORKERS", 2), "worker_type": "thread"},
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": FANGKONG_HOME / "cache",
        }
    }
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "fangkong",
        "filename": str(FANGKONG_HOME / "huey.sqlite3"),
        "immediate": FANGKONG_ENV == "test",
        "consumer": {"workers": env_int("FANGKONG_WORKERS", 2), "worker_type": "thread"},
    }

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes an anonymous call 401, not 403.
        "fangkong.core.rest.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "fangkong.core.rest.Pagination",
    "PAGE_SIZE": FANGKONG_PAGE_SIZE,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # OPTIONS would describe write forms to readers; the schema at /api/schema/ does that.
    "DEFAULT_METADATA_CLASS": None,
    "DEFAULT_SCHEMA_CLASS": "fangkong.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "fangkong.core.rest.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth": "20/minute", "reveal": "300/hour"},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fangkong API",
    # The description is an English msgid set by the hook, so it follows the catalogue.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "fangkong.core.rest.schema_description_hook",
    ],
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choices of the same field name in several apps would otherwise get clashing names.
    "ENUM_NAME_OVERRIDES": {
        "AlertStateEnum": "fangkong.monitoring.models.Alert.State",
        "AlertOutcomeEnum": "fangkong.monitoring.models.Alert.Outcome",
        "KeyPersonStateEnum": "fangkong.ledger.models.KeyPerson.State",
        "PushStateEnum": "fangkong.ledger.models.Push.State",
        "KeyPersonStateFilterEnum": "fangkong.ledger.serializers.KEYPERSON_STATE_FILTER",
        "PushStateFilterEnum": "fangkong.ledger.serializers.PUSH_STATE_FILTER",
        "KeyPersonSourceEnum": "fangkong.ledger.models.KeyPerson.Source",
        "PushSourceEnum": "fangkong.ledger.models.Push.Source",
        "MeasureEnum": "fangkong.ledger.models.Measure",
        "CheckpointOutcomeEnum": "fangkong.checkpoints.models.Outcome",
        "ChannelKindEnum": "fangkong.channels.models.Channel.Kind",
        "NotificationKindEnum": "fangkong.inbox.models.Notification.Kind",
        "BriefingStateEnum": "fangkong.briefings.models.Briefing.State",
    },
}

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("FANGKONG_LOG_LEVEL", "WARNING")},
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("FANGKONG_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("FANGKONG_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("FANGKONG_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("FANGKONG_CSRF_TRUSTED_ORIGINS", [])
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

if FANGKONG_ENV == "test":
    # Hashing the fixtures' passwords with the production hasher costs seconds per test.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
