"""The test harness itself: missing PostgreSQL or Chromium skips loudly, and
REQUIRE_POSTGRES=1 / REQUIRE_BROWSER=1 turn that into a failure before any
test runs. Each case runs pytest in a separate process, as CI does."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from conftest import FAST_PASSWORD_HASHERS, NEEDS_BROWSER, NEEDS_POSTGRES

BASE_DIR = Path(settings.BASE_DIR)
BROWSER_TEST = "tests/browser/test_lawyer_journey.py"


def run_pytest(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("REQUIRE_", "PYTEST_", "DATABASE_URL"))}
    environ |= {"LVSHI_VAR_DIR": str(tmp_path / "var"), **env}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", *args],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_chromium_browser_tests_skip_with_a_loud_reason(tmp_path):
    result = run_pytest(tmp_path, BROWSER_TEST, CHROMIUM_PATH=str(tmp_path / "no-chromium"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert f"1 SKIPPED — {NEEDS_BROWSER}" in result.stdout


def test_require_browser_fails_the_run_when_chromium_is_missing(tmp_path):
    result = run_pytest(tmp_path, BROWSER_TEST, CHROMIUM_PATH=str(tmp_path / "no-chromium"), REQUIRE_BROWSER="1")
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert "REQUIRE_BROWSER=1 but Chromium" in result.stderr


def test_require_postgres_fails_the_run_on_sqlite(tmp_path):
    result = run_pytest(tmp_path, "tests/test_smoke.py", REQUIRE_POSTGRES="1")
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert "REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL" in result.stderr


def test_an_unreachable_postgres_fails_at_once_with_the_fix(tmp_path):
    url = "postgres://postgres@127.0.0.1:1/lvshi"  # nothing listens on port 1
    result = run_pytest(tmp_path, "tests/test_smoke.py", DATABASE_URL=url, REQUIRE_POSTGRES="1")
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert "PostgreSQL at 127.0.0.1:1 is unreachable" in result.stderr
    assert "pg_ctlcluster" in result.stderr


@pytest.mark.postgres
def test_postgres_tests_run_on_postgres():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_postgres_tests_skip_with_a_loud_reason_on_sqlite(tmp_path):
    result = run_pytest(tmp_path, "tests/test_harness.py::test_postgres_tests_run_on_postgres")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"1 SKIPPED — {NEEDS_POSTGRES}" in result.stdout


def test_passwords_are_hashed_quickly_in_tests():
    from django.contrib.auth.hashers import get_hasher

    assert settings.PASSWORD_HASHERS == FAST_PASSWORD_HASHERS
    assert get_hasher().algorithm == "md5"
