"""Load the laws corpus into the library::

    python manage.py import_laws ../shared/data/laws     # the whole corpus
    python manage.py import_laws lvshi/laws/data          # the texts the demo ships

Idempotent: an unchanged file is skipped, a changed one replaces its text."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lvshi.laws.services import import_dir


class Command(BaseCommand):
    help = "Import the laws corpus (Markdown, one file per text version) into the library."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory")
        started = time.monotonic()
        report = import_dir(directory.resolve())
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Laws: {report.created} new, {report.updated} updated, {report.unchanged} unchanged; "
            f"{report.articles} articles written in {seconds:.1f} s."
        )
        for refused in report.refused or []:
            self.stderr.write(f"skipped: {refused}")
