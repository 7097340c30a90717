#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvshi.settings")
    # A development checkout (the SQLite database, no DATABASE_URL) runs its
    # commands with DEBUG on, as `make` does. With DATABASE_URL set, as on
    # every server, DEBUG stays off unless stated: the settings then need
    # every key (lvshi/settings.py).
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
