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


PDF_LIBRARIES_MISSING = "lvshi.courts.W002"


@register()
def pdf_libraries_check(app_configs=None, **kwargs):
    """Court documents (the acceptance notice, the fee receipt) are PDFs made
    by WeasyPrint, which needs Pango from the system and a Chinese font."""
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        return [
            Warning(
                f"WeasyPrint cannot load its system libraries ({exc}): court PDFs cannot be made.",
                hint="apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-wqy-zenhei",
                id=PDF_LIBRARIES_MISSING,
            )
        ]
    return []
