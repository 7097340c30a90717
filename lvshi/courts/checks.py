"""System checks of court services, run by ``manage.py check --deploy``."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

SIMULATED_PAYMENTS_ON = "lvshi.courts.W001"


@register(Tags.security, deploy=True)
def simulated_payments_check(app_configs=None, **kwargs):
    """Warn while the simulated payment provider is on: anyone can then
    mark a fee paid without paying."""
    if settings.PAYMENT_PROVIDER == "simulated":
        return [
            Warning(
                "PAYMENT_PROVIDER is 'simulated': court fees can be marked paid without any money moving.",
                hint="Set PAYMENT_PROVIDER to the real provider's client in the environment of every deployed server.",
                id=SIMULATED_PAYMENTS_ON,
            )
        ]
    return []
