"""What the README and the demo-accounts page tell a newcomer to type works."""

import base64
import re
import subprocess
import sys
from pathlib import Path

from django_otp.oath import TOTP

ROOT = Path(__file__).resolve().parent.parent


def test_the_totp_one_liner_prints_the_current_code():
    text = (ROOT / "docs" / "demo-accounts.md").read_text()
    line = next(line for line in text.splitlines() if "django_otp.oath" in line)
    assert line.startswith(".venv/bin/python -c "), "the one-liner must use the virtualenv's Python"
    code, secret = re.fullmatch(r'\.venv/bin/python -c "(.*)" ([A-Z2-7]+)', line).groups()
    printed = subprocess.run([sys.executable, "-c", code, secret], capture_output=True, text=True, check=True)
    expected = {f"{TOTP(base64.b32decode(secret), drift=d).token():06d}" for d in (-1, 0, 1)}
    assert printed.stdout.strip() in expected


def test_the_readme_describes_the_project_from_a_clone_alone():
    readme = (ROOT / "README.md").read_text()
    assert "../shared" not in readme
    for link in re.findall(r"\]\(([^)#]+)", readme):
        if not link.startswith("http"):
            assert (ROOT / link).exists(), link
    assert "PORT=" in readme
