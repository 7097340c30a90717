"""Loading meeting objects for a user: one function per object and purpose,
shared by pages and the API. Anything outside the user's reach answers 404."""

from django.shortcuts import get_object_or_404

from lvshi.orgs import scope

from .models import Booking, Violation


def own_booking_or_404(user, booking_id: int) -> Booking:
    """A booking of the signed-in lawyer."""
    return get_object_or_404(Booking.objects.select_related("detainee", "centre"), pk=booking_id, lawyer=user)


def booking_for_review_or_404(user, booking_id: int) -> Booking:
    """A booking of a centre the officer reviews for."""
    qs = Booking.objects.select_related("detainee", "centre", "lawyer")
    return scope.get_or_404(user, "visits.review_booking", qs, pk=booking_id)


def own_violation_or_404(user, violation_id: int) -> Violation:
    """A violation recorded against the signed-in lawyer."""
    return get_object_or_404(Violation.objects.select_related("centre"), pk=violation_id, lawyer=user)
