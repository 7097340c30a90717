import pytest
from django.db import connection
from django.urls import reverse


def test_healthz_answers_ok(client, db):
    response = client.get(reverse("site:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_fails(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise connection.Database.OperationalError("database is down")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken)
        response = client.get(reverse("site:healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get(reverse("site:home"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self' 'nonce-")
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_pages_carry_the_other_security_headers(client, db):
    response = client.get(reverse("site:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("secure", [True])
def test_hsts_and_https_redirect_in_production_settings(client, db, settings, secure):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    redirect = client.get(reverse("site:healthz"))
    assert redirect.status_code == 301 and redirect["Location"].startswith("https://")
    response = client.get(reverse("site:healthz"), secure=secure)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_production_settings_pass_the_deploy_check(tmp_path):
    """`manage.py check --deploy` with DEBUG off and real secrets is clean."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "k" * 20 + "Zq8#mV2$pL5^wR9&tY3*uI6(oP1)aS4-dF7",
        "FIELD_ENCRYPTION_KEY": "field-key-for-the-deploy-check-0001",
        "BLIND_INDEX_KEY": "blind-index-key-for-the-deploy-check",
        "AUDIT_CHAIN_KEY": "audit-chain-key-for-the-deploy-check",
        "ALLOWED_HOSTS": "lvshi.example.cn",
        "LVSHI_VAR_DIR": str(tmp_path),
        # No payment provider: online fees are not offered (the simulated one warns).
        "PAYMENT_PROVIDER": "",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("debug", [None, "", "0"])
def test_settings_fail_closed_without_keys(tmp_path, debug):
    """Unless DEBUG is turned on explicitly, the development keys are never
    used: a server (DATABASE_URL set) started without its keys refuses to start."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    env["LVSHI_VAR_DIR"] = str(tmp_path)
    # The settings refuse before any connection is tried.
    env["DATABASE_URL"] = "postgres://lvshi@127.0.0.1:1/lvshi"
    if debug is not None:
        env["DEBUG"] = debug
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off" in result.stderr
    assert "DEBUG=1" in result.stderr


def test_a_development_checkout_runs_manage_py_with_debug_on(tmp_path):
    """No DATABASE_URL: the SQLite development copy, where manage.py turns
    DEBUG on as make does (makemigrations --check, shell, commands)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    env["LVSHI_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_development_keys_only_with_debug_on(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    env.update(DEBUG="1", LVSHI_VAR_DIR=str(tmp_path))
    code = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY.startswith('dev-only'))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["True", "True"]
