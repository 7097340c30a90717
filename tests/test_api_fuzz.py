"""A bounded schemathesis run over /api/v1/openapi.json against a live server
with the demo data: without a token, and with a lawyer's.

Every default check runs (tests/schemathesis.toml says which answers a
schema-valid request may get): no server error, no status code the document
does not list, no response that breaks its schema, no malformed input
accepted. The examples per operation are capped so the run takes a few
minutes; ``FUZZ_EXAMPLES`` raises the cap for a longer hunt.

SQLite only: the run exercises the API, not the database, and one run per
suite is enough.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

CONFIG = Path(__file__).with_name("schemathesis.toml")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the API fuzzing run is part of the SQLite run"),
]


def _schemathesis() -> str:
    found = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert found, "schemathesis is a test dependency: make install-test"
    return found


def _lawyer_token() -> str:
    from lvshi.accounts.models import ApiToken, User
    from lvshi.core import crypto
    from lvshi.orgs.models import Role

    lawyer = User.objects.filter(memberships__role=Role.LAWYER).order_by("pk").first()
    assert lawyer is not None, "seed_demo makes the demo lawyers"
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=lawyer, key_hash=crypto.token_hash(token), expires_at=timezone.now() + timedelta(hours=1)
    )
    return token


def _run(live_server, tmp_path, *headers: str) -> subprocess.CompletedProcess:
    command = [
        _schemathesis(),
        "--config-file",
        str(CONFIG),
        "--no-color",
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        # Signing out would end the token the rest of the run uses.
        "--exclude-path",
        "/api/v1/auth/logout",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(EXAMPLES),
        "--workers",
        "1",
        "--seed",
        "20261203",
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        # Django's test server answers a kept-alive connection only after the
        # client's delayed ACK (about 40 ms a request); a fresh connection
        # each time makes the run four times faster.
        "-H",
        "Connection: close",
        *[arg for header in headers for arg in ("-H", header)],
    ]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False)


@pytest.fixture
def demo_server(live_server, captcha_test_mode):
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=StringIO())
    return live_server


def test_the_api_survives_fuzzing_without_a_token_and_with_a_lawyers(demo_server, tmp_path, settings):
    # The public lookup's per-address limit would answer the run's hundreds of
    # look-ups with 429 (tested on its own in lvshi/bureau/tests/test_public.py).
    settings.PUBLIC_LOOKUP_PER_MINUTE = 1_000_000
    runs = {
        "without a token": _run(demo_server, tmp_path),
        "with a lawyer's token": _run(demo_server, tmp_path, f"Authorization: Bearer {_lawyer_token()}"),
    }
    failed = {who: run for who, run in runs.items() if run.returncode != 0}
    report = "\n\n".join(f"=== {who} (exit {run.returncode}) ===\n{run.stdout[-20000:]}" for who, run in failed.items())
    assert not failed, report
