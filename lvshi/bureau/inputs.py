"""Reading what people type into numbers and dates, once for every service
of lawyer administration: a value that cannot be read is a ``DomainError``
naming its field (``<field>_invalid``), never a database error."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from lvshi.core.errors import DomainError

CENT = Decimal("0.01")
MOST = Decimal("9999999999.99")


def as_int(raw: Any) -> int:
    """*raw* as a whole number (0 when it is none: no record has that key)."""
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


def as_date(raw: Any, field: str, label: str, *, latest: date | None = None) -> date:
    """An ISO date (``2026-12-01``), not after *latest* when given."""
    try:
        day = raw if isinstance(raw, date) else date.fromisoformat(str(raw or "").strip())
    except ValueError:
        day = None
    if day is None:
        raise DomainError(
            f"{field}_invalid", _("%(label)s应为日期，例如 2026-12-01。") % {"label": label}, details={"field": field}
        )
    if latest is not None and day > latest:
        raise DomainError(
            f"{field}_invalid", _("日期应为不晚于今天的日期，例如 2026-03-01。"), details={"field": field}
        )
    return day


def as_optional_date(raw: Any, field: str, label: str) -> date | None:
    """:func:`as_date`, or None when nothing was given."""
    return None if raw in (None, "") else as_date(raw, field, label)


def as_amount(
    raw: Any, field: str, message: str, *, zero: bool = False, most: Decimal = MOST, step: Decimal = CENT
) -> Decimal:
    """A positive amount (or not negative, with *zero*) of at most *most*, in multiples of *step*."""
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, TypeError, ValueError):
        value = Decimal(-1)
    if not value.is_finite() or value < 0 or (value == 0 and not zero) or value > most or value != value.quantize(step):
        raise DomainError(f"{field}_invalid", message, details={"field": field})
    return value
