"""The configured provider for each payment method."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from lvshi.core.errors import DomainError

from .base import Provider

_cache: dict[str, Provider] = {}


def simulated_on() -> bool:
    return settings.PAYMENT_PROVIDER == "simulated"


def provider(name: str) -> Provider:
    """The provider of method *name* (``wechat`` or ``alipay``)."""
    if name not in settings.PAYMENT_MERCHANTS:
        raise KeyError(name)
    if not simulated_on():
        # No real provider's client is configured (PAYMENT_PROVIDER): fees are paid at the court.
        raise DomainError(
            "payments_unavailable",
            _("网上缴费暂未开通，请持交费通知书到法院诉讼服务中心缴纳。"),
            status=409,
        )
    from .simulated import Simulated

    key = f"{settings.PAYMENT_PROVIDER}:{name}"
    if key not in _cache:
        _cache[key] = Simulated(name)
    return _cache[key]


def forget() -> None:
    """Drop cached providers (tests that change keys or settings)."""
    _cache.clear()
