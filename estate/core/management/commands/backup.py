"""``manage.py backup``: a consistent copy of the database and the uploaded files in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from estate.core.backup import make_backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz (safe while running)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            type=Path,
            default=Path(settings.BASE_DIR) / "var" / "backups",
            help="Directory for the archive (default: var/backups).",
        )

    def handle(self, *args: Any, to: Path, **options: Any) -> None:
        archive = make_backup(to)
        self.stdout.write(str(archive))
