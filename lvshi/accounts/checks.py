"""System checks for sign-in security, run by ``manage.py check --deploy``."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

CAPTCHA_TEST_MODE_ON = "lvshi.accounts.W001"


@register(Tags.security, deploy=True)
def captcha_test_mode_check(app_configs=None, **kwargs):
    """Warn while CAPTCHA_TEST_MODE is on: every captcha answer "PASSED" is
    then accepted, so the login page has no captcha at all."""
    if getattr(settings, "CAPTCHA_TEST_MODE", False):
        return [
            Warning(
                "CAPTCHA_TEST_MODE is on: the image captcha accepts the answer 'PASSED'.",
                hint="Unset CAPTCHA_TEST_MODE (or set it to 0) in the environment of every deployed server.",
                id=CAPTCHA_TEST_MODE_ON,
            )
        ]
    return []
