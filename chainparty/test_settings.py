"""Settings for the test suite: the real PostgreSQL and Redis (no mocks of our own
database or broker). Override with DATABASE_URL / REDIS_URL."""

import os
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chainparty")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("CELERY_QUEUE", "chainparty-test")


def _own_redis_database(url: str, worker: int) -> str:
    """The Redis URL with the database `worker` places after the given one (modulo Redis's 16)."""
    parsed = urlsplit(url)
    given = parsed.path.strip("/") or "0"
    if not given.isdigit():
        raise ImproperlyConfigured(f"REDIS_URL must name a database number, got {url!r}")
    return urlunsplit(parsed._replace(path=f"/{(int(given) + worker) % 16}"))


# Under `pytest -n` (pytest-xdist, as `make test` runs it) each worker process gets its own Redis
# database and Celery queue, derived from its id (gw0, gw1, ...), as pytest-django gives it its own
# test database (test_<name>_gw0, ...): the worker tests' clean-up deletes their queues, and one
# worker's broker traffic must never land in the other's. Written back to the environment, so that a
# process a test starts (a Celery worker, a command; tests/workers.py) inherits the values as they
# are, and does not shift them a second time.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker and os.environ.get("CHAINPARTY_TEST_WORKER") != _xdist_worker:
    os.environ["CHAINPARTY_TEST_WORKER"] = _xdist_worker
    _index = int(_xdist_worker.removeprefix("gw"))
    os.environ["REDIS_URL"] = _own_redis_database(os.environ["REDIS_URL"], _index)
    os.environ["CELERY_QUEUE"] = f"{os.environ['CELERY_QUEUE']}-{_xdist_worker}"
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
# The test client speaks plain HTTP, as the app does behind the TLS-terminating proxy.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Fixtures submit hundreds of issues as one contact; the limit itself has its own test (tests/robustness).
os.environ.setdefault("ISSUE_SUBMIT_LIMIT_PER_HOUR", "100000")
# Likewise the per-address throttles: the matrix asks every route anonymously from one address; the
# throttles' own tests set each limit (tests/robustness/test_throttles.py).
for _throttle in ("LOGIN", "API_ANONYMOUS", "CALENDAR_FEED", "SET_LANGUAGE"):
    os.environ.setdefault(f"RATE_LIMIT_{_throttle}", "100000/min")
# The cast signs in with force_login; the second factor's own tests (tests/accounts/test_twofactor.py)
# turn it on.
os.environ.setdefault("OTP_REQUIRED", "0")

from chainparty.settings import *  # noqa: E402,F403
from chainparty.settings import STORAGES  # noqa: E402

ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
CELERY_TASK_DEFAULT_QUEUE = os.environ["CELERY_QUEUE"]
# Serve static files from the apps' folders in tests (no collectstatic run), as runserver does.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
