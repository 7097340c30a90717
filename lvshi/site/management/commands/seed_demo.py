"""Create the demo organisations and accounts (docs/demo-accounts.md).

    python manage.py seed_demo          # create what is missing, say how much
    python manage.py seed_demo --json   # also print every demo account as JSON

Running it again changes nothing. The demo accounts have published
passwords, so the command refuses to run with DEBUG off unless told
``--i-know-this-is-not-production``.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lvshi.site.demo import account_table, seed_demo


class Command(BaseCommand):
    help = "Create the demo organisations and accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="Print every demo account (log-in name, password, TOTP secret) as JSON."
        )

        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Seed even though DEBUG is off (a staging copy, a demo server).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["not_production"]:
            raise CommandError(
                "DEBUG is off: this looks like production, and the demo accounts have published passwords. "
                "Use --i-know-this-is-not-production on a demo or staging server."
            )
        created = seed_demo()
        if options["json"]:
            self.stdout.write(json.dumps(account_table(), ensure_ascii=False, indent=2))
            return
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo data: created {created} rows."))
        else:
            self.stdout.write("Demo data already present; nothing changed.")
        self.stdout.write("Accounts and passwords: docs/demo-accounts.md (or seed_demo --json).")
