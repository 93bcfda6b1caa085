"""Backups of the database and the uploaded files, and restoring them (``manage.py backup`` /
``manage.py restore``).

A backup is one ``.tar.gz`` holding ``manifest.json``, the database and ``media/``:
- SQLite: a consistent copy made with SQLite's online backup API while the app runs;
- PostgreSQL: ``pg_dump`` in its custom format (one consistent snapshot), restored with
  ``pg_restore`` in a single transaction.
The database is copied before the files, so every file a copied row names is in the archive.
A backup restores into the same kind of database it came from.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone

FORMAT = 1
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"


@dataclass(frozen=True)
class Manifest:
    engine: str
    created: str
    media_files: int


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise CommandError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _pg_command(program: str, alias: str = "default") -> tuple[list[str], dict[str, str]]:
    """The program's connection arguments and environment (the password never on the command line)."""
    db: dict[str, Any] = connections[alias].settings_dict
    args = [program, "--no-password"]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    environment = {**os.environ}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    return args, environment


def _run(args: list[str], environment: dict[str, str]) -> None:
    if shutil.which(args[0]) is None:
        raise CommandError(
            f"{args[0]} is not installed (Debian: apt-get install postgresql-client)"
        )
    finished = subprocess.run(args, env=environment, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise CommandError(f"{args[0]} failed: {finished.stderr.strip()}")


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def make_backup(directory: Path, alias: str = "default") -> Path:
    """Write a backup archive into ``directory``; its path."""
    engine = _engine(alias)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    archive = directory / f"estate-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        staging = Path(work)
        if engine == "sqlite":
            connection = connections[alias]
            connection.ensure_connection()
            with sqlite3.connect(staging / SQLITE_FILE) as copy:
                connection.connection.backup(copy)
            copy.close()
            database_file = SQLITE_FILE
        else:
            args, environment = _pg_command("pg_dump", alias)
            name = str(connections[alias].settings_dict["NAME"])
            _run([*args, "--format=custom", f"--file={staging / POSTGRES_FILE}", name], environment)
            database_file = POSTGRES_FILE
        media = _media_root()
        files = [p for p in media.rglob("*") if p.is_file()] if media.is_dir() else []
        manifest = Manifest(
            engine=engine, created=timezone.now().isoformat(), media_files=len(files)
        )
        (staging / "manifest.json").write_text(
            json.dumps({"format": FORMAT, **manifest.__dict__}), encoding="utf-8"
        )
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(staging / "manifest.json", arcname="manifest.json")
            tar.add(staging / database_file, arcname=database_file)
            for path in files:
                tar.add(path, arcname=f"media/{path.relative_to(media).as_posix()}")
        partial.rename(archive)  # a backup cut short never looks finished
    return archive


def read_manifest(archive: Path) -> Manifest:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise CommandError(f"{archive} is not an estate backup (no manifest.json)")
        data = json.loads(member.read().decode("utf-8"))
    if data.get("format") != FORMAT:
        raise CommandError(f"{archive}: backup format {data.get('format')} is not supported")
    return Manifest(engine=data["engine"], created=data["created"], media_files=data["media_files"])


def restore_backup(archive: Path, alias: str = "default") -> Manifest:
    """Bring the database and the uploaded files back from ``archive``.

    The database named by the settings is replaced; stop the web server, worker and scheduler
    first. Files in ``MEDIA_ROOT`` with the same names are overwritten, others are left.
    """
    manifest = read_manifest(archive)
    engine = _engine(alias)
    if manifest.engine != engine:
        raise CommandError(
            f"{archive} holds a {manifest.engine} database; the settings name a {engine} one"
        )
    with tempfile.TemporaryDirectory() as work:
        staging = Path(work)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staging, filter="data")  # refuses absolute paths and ../ tricks
        connection = connections[alias]
        if engine == "sqlite":
            connection.close()
            connection.ensure_connection()
            with sqlite3.connect(staging / SQLITE_FILE) as source:
                source.backup(connection.connection)
            source.close()
        else:
            connection.close()
            args, environment = _pg_command("pg_restore", alias)
            name = str(connection.settings_dict["NAME"])
            _run(
                [
                    *args,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    f"--dbname={name}",
                    str(staging / POSTGRES_FILE),
                ],
                environment,
            )
        media = staging / "media"
        if media.is_dir():
            shutil.copytree(media, _media_root(), dirs_exist_ok=True)
    return manifest
