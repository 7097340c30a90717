"""Writes for meetings, by area: bookings (:mod:`.booking`), the checks of a
booking request (:mod:`.requests`), what follows a decision
(:mod:`.outcome`), the waitlist (:mod:`.waitlist`) and check-in, no-shows
and the lock-out (:mod:`.checkin`). Rooms are taken and given back in
:mod:`lvshi.visits.capacity`; bindings have their own package,
:mod:`lvshi.visits.bindings`.

The names below are the public use cases of bookings, each
``<entity>_<action>`` with keyword-only arguments; everything else in the
modules serves them."""

from .booking import booking_approve, booking_cancel, booking_create, booking_reject, booking_withdraw

__all__ = ["booking_approve", "booking_cancel", "booking_create", "booking_reject", "booking_withdraw"]
