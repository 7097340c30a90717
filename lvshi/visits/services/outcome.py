"""What follows a booking's decision: its status as the centre's
auto-approval says, and the lawyer told."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from lvshi.audit.diff import snapshot
from lvshi.audit.services import audit_record
from lvshi.core import rows
from lvshi.core.actor import Actor
from lvshi.notify.services import notify_user

from ..models import Booking, BookingStatus, CentreConfig
from ..selectors.window import hhmm


def _when(booking: Booking) -> str:
    return f"{booking.date.isoformat()} {hhmm(booking.start)}-{hhmm(booking.end)}"


def notify_decision(booking: Booking, kind: str) -> None:
    notify_user(
        booking.lawyer,
        kind=kind,
        context={
            "centre": booking.centre.name,
            "detainee": booking.detainee.name,
            "when": _when(booking),
            "reason": booking.reason or "-",
        },
    )


# Set from rows the request has just read: their existence is not checked
# again (the foreign keys of the table still are).
_READ_FOREIGN_KEYS = ["lawyer", "detainee", "centre", "assistant"]


def settle(booking: Booking, config: CentreConfig, now: datetime, *, exclude: Sequence[str] = ()) -> None:
    """Status as the centre's auto-approval says; validate and save."""
    if config.auto_approve:
        booking.status = BookingStatus.APPROVED
        booking.decided_at = now
    booking.full_clean(exclude=list(exclude), validate_constraints=False)
    rows.insert(booking)


def _booking_created(booking: Booking, *, actor: Actor, config: CentreConfig, **details: Any) -> None:
    """What follows a new booking, however it was made (a request, a room
    held on the waitlist): its audit event, and the lawyer told when the
    centre approved it at once. *details* go into the event."""
    fields = ["detainee", "date", "start", "end", "room_kind", "status", "legal_aid", "assistant"]
    audit_record(
        action="visits.booking_create",
        actor=actor,
        obj=booking,
        organisation=config.organisation,
        after={**snapshot(booking, fields), **details},
    )
    if config.auto_approve:
        notify_decision(booking, "booking_approved")
