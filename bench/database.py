"""A fresh benchmark database with the demo data."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit


def recreate_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def fresh_database() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        database = Path(settings.DATABASES["default"]["NAME"])
        database.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
