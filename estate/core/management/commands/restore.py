"""``manage.py restore ARCHIVE``: bring back a backup made by ``manage.py backup``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from estate.core.backup import read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database and restore the uploaded files from a backup archive. "
        "Stop the web server, worker and scheduler first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before replacing the database."
        )

    def handle(self, *args: Any, archive: Path, yes: bool, **options: Any) -> None:
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file")
        manifest = read_manifest(archive)
        if not yes:
            answer = input(
                f"Replace the database with the {manifest.engine} backup of {manifest.created}? "
                "[y/N] "
            )
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Nothing restored.")
        restore_backup(archive)
        self.stdout.write(
            f"Restored the backup of {manifest.created} ({manifest.media_files} uploaded files)."
        )
