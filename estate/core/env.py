"""Strict parsing of environment variables for settings.

Every setting comes from the environment. A value that cannot be parsed stops
start-up with an error that names the variable, so a typo never turns into a
silently different behaviour.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class Env:
    """Reads typed values from a mapping (``os.environ`` by default)."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: str) -> str | None:
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def fail(self, name: str, message: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"Environment variable {name}: {message}")

    def string(self, name: str, default: str) -> str:
        value = self._raw(name)
        return default if value is None else value

    def boolean(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise self.fail(name, f"expected true or false, got {value!r}")

    def integer(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise self.fail(name, f"expected a whole number, got {value!r}") from None
        if minimum is not None and number < minimum:
            raise self.fail(name, f"must be at least {minimum}, got {number}")
        return number

    def strings(self, name: str, default: list[str]) -> list[str]:
        value = self._raw(name)
        if value is None:
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def networks(self, name: str, default: list[str]) -> list[str]:
        """A comma-separated list of IP addresses or networks (``10.0.0.0/8``), each checked."""
        items = self.strings(name, default)
        for item in items:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise self.fail(name, f"{item!r} is not an IP address or network") from None
        return items

    def choice(self, name: str, default: str, choices: set[str]) -> str:
        value = self.string(name, default)
        if value not in choices:
            raise self.fail(name, f"expected one of {', '.join(sorted(choices))}, got {value!r}")
        return value

    def timezone(self, name: str, default: str) -> str:
        value = self.string(name, default)
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail(name, f"unknown time zone {value!r}") from None
        return value

    def url(self, name: str, default: str) -> str:
        """An http(s) address with a host and nothing after the path (no query, no fragment),
        without its trailing slash."""
        value = self.string(name, default)
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise self.fail(name, f"expected an http:// or https:// address, got {value!r}")
        if parts.query or parts.fragment or parts.username or parts.password:
            raise self.fail(
                name, f"expected an address without query, fragment or login, got {value!r}"
            )
        try:
            parts.port  # noqa: B018 - a bad port raises here
        except ValueError:
            raise self.fail(name, f"invalid port in {value!r}") from None
        return value.rstrip("/")

    def database(self, name: str, default: str, *, base_dir: Path) -> dict[str, Any]:
        return parse_database_url(self.string(name, default), name=name, base_dir=base_dir)


def parse_database_url(url: str, *, name: str, base_dir: Path) -> dict[str, Any]:
    """Turn ``sqlite:///path`` or ``postgres://user:pw@host:port/db`` into a Django DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        raw_path = unquote(parts.path)
        if raw_path in ("", "/"):
            raise ImproperlyConfigured(f"Environment variable {name}: sqlite URL needs a file path")
        if raw_path == "/:memory:":
            db_path: str = ":memory:"
        else:
            # sqlite:///var/x.db is relative to the project; sqlite:////abs/x.db is absolute.
            relative = raw_path[1:]
            db_path = relative if relative.startswith("/") else str(base_dir / relative)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": db_path,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"),
            },
            "TEST": {"NAME": None},
        }
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        database = unquote(parts.path.lstrip("/"))
        if not database:
            raise ImproperlyConfigured(
                f"Environment variable {name}: PostgreSQL URL needs a database name"
            )
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"Environment variable {name}: invalid port") from None
        options: dict[str, Any] = {}
        for key, values in parse_qs(parts.query).items():
            options[key] = values[-1]
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"Environment variable {name}: unsupported URL scheme {parts.scheme!r} "
        "(use sqlite:///path or postgres://user@host:port/name)"
    )
