"""Settings come only from the environment and a bad value stops start-up, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from estate.core.env import Env, parse_database_url

ROOT = Path(__file__).resolve().parent.parent


def test_booleans_accept_the_usual_spellings():
    env = Env({"A": "yes", "B": "0", "C": " TRUE "})
    assert env.boolean("A", False) is True
    assert env.boolean("B", True) is False
    assert env.boolean("C", False) is True
    assert env.boolean("MISSING", True) is True


@pytest.mark.parametrize(
    ("environ", "call", "fragment"),
    [
        ({"DEBUG": "maybe"}, lambda e: e.boolean("DEBUG", False), "DEBUG"),
        ({"PORT": "eighty"}, lambda e: e.integer("PORT", 8000), "PORT"),
        ({"PORT": "-1"}, lambda e: e.integer("PORT", 8000, minimum=1), "PORT"),
        ({"TIME_ZONE": "Mars/Olympus"}, lambda e: e.timezone("TIME_ZONE", "UTC"), "TIME_ZONE"),
        ({"WECHAT_API_BASE": "ftp://x"}, lambda e: e.url("WECHAT_API_BASE", "https://a"), "WECHAT"),
        (
            {"WECHAT_API_BASE": "https://a/?q=1"},
            lambda e: e.url("WECHAT_API_BASE", "https://a"),
            "WECHAT",
        ),
        (
            {"WECHAT_API_BASE": "https://a:x/"},
            lambda e: e.url("WECHAT_API_BASE", "https://a"),
            "WECHAT",
        ),
        (
            {"LOG_LEVEL": "LOUD"},
            lambda e: e.choice("LOG_LEVEL", "INFO", {"INFO", "DEBUG"}),
            "LOG_LEVEL",
        ),
    ],
)
def test_bad_values_name_the_variable(environ, call, fragment):
    with pytest.raises(ImproperlyConfigured, match=f"Environment variable {fragment}"):
        call(Env(environ))


def test_addresses_lose_their_trailing_slash():
    env = Env({"WECHAT_API_BASE": " http://127.0.0.1:8123/ "})
    assert env.url("WECHAT_API_BASE", "https://api.weixin.qq.com") == "http://127.0.0.1:8123"
    assert env.url("MISSING", "https://api.weixin.qq.com") == "https://api.weixin.qq.com"


def test_sqlite_url_is_relative_to_the_project_and_uses_wal():
    config = parse_database_url(
        "sqlite:///var/estate.sqlite3", name="DATABASE_URL", base_dir=Path("/srv/estate")
    )
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/srv/estate/var/estate.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_absolute_sqlite_path():
    config = parse_database_url(
        "sqlite:////data/estate.db", name="DATABASE_URL", base_dir=Path("/srv")
    )
    assert config["NAME"] == "/data/estate.db"


def test_postgres_url():
    config = parse_database_url(
        "postgres://estate:s%40cret@db.local:5433/estate?sslmode=require",
        name="DATABASE_URL",
        base_dir=ROOT,
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "estate",
        "s@cret",
        "db.local",
        "5433",
        "estate",
    )
    assert config["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize("url", ["mysql://x@y/z", "postgres://host/", "sqlite://"])
def test_unusable_database_urls_are_refused(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url(url, name="DATABASE_URL", base_dir=ROOT)


def _manage(*args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**keep, **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_start_up_stops_with_the_name_of_a_bad_variable():
    result = _manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "Environment variable DEBUG" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_requires_a_secret_key():
    result = _manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "Environment variable SECRET_KEY" in result.stderr


def test_deploy_check_passes_with_production_settings():
    """The variables documented in docs/operations.md make `check --deploy` silent."""
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x7#kd93-production-like-secret-key-with-enough-entropy-9f8e7d6c5b4a",
        ALLOWED_HOSTS="desk.example.cn",
        SECURE_SSL_REDIRECT="true",
        SECURE_COOKIES="true",
        SECURE_HSTS_SECONDS="31536000",
        BEHIND_HTTPS_PROXY="true",
        DATABASE_URL="sqlite:////tmp/estate-deploy-check.sqlite3",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="smtp.example.cn",
        SMS_GATEWAY="tests.gateways.RecordingGateway",  # a provider's gateway, not the console
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_warns_when_messages_would_only_be_printed():
    result = _manage(
        "check",
        "--deploy",
        DEBUG="false",
        SECRET_KEY="x7#kd93-production-like-secret-key-with-enough-entropy-9f8e7d6c5b4a",
        DATABASE_URL="sqlite:////tmp/estate-deploy-check.sqlite3",
    )
    assert "(estate.W001) SMS_GATEWAY is the console gateway" in result.stderr + result.stdout
    assert "(estate.W002) EMAIL_BACKEND is the console backend" in result.stderr + result.stdout
