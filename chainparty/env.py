"""Read the environment in one place. A malformed value fails at start-up, never silently."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def env_rate(name: str, default: str) -> tuple[int, int] | None:
    """A rate such as "60/min" (periods: s, min, h, d) as (requests, seconds); "off" (or "0") is None:
    not limited."""
    value = os.environ.get(name)
    value = default if value is None or value.strip() == "" else value
    text = value.strip().lower()
    if text in {"off", "0"}:
        return None
    count, _sep, period = text.partition("/")
    try:
        requests = int(count)
        seconds = _PERIODS[period.strip() or "min"]
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f'{name} must look like "60/min" (s, min, h or d) or "off", got {value!r}') from exc
    if requests < 1:
        raise ImproperlyConfigured(f"{name} must allow at least one request, got {value!r}")
    return requests, seconds
