"""Loading meeting objects for a user: one function per object and purpose,
shared by pages and the API. Anything outside the user's reach answers 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from lvshi.orgs import scope

from .models import Binding, BindingDocument, Booking, Violation, WaitlistEntry


def own_booking_or_404(user, booking_id: int) -> Booking:
    """A booking of the signed-in lawyer."""
    return get_object_or_404(Booking.objects.select_related("detainee", "centre"), pk=booking_id, lawyer=user)


def booking_for_review_or_404(user, booking_id: int) -> Booking:
    """A booking of a centre the officer reviews for."""
    qs = Booking.objects.select_related("detainee", "centre", "lawyer")
    return scope.get_or_404(user, "visits.review_booking", qs, pk=booking_id)


def _lawyers_or_reviewed(user, queryset, pk: int, review: str):
    """An object of the signed-in lawyer, or one the user may *review*."""
    obj = get_object_or_404(queryset, pk=pk)
    if obj.lawyer_id == user.pk or scope.can(user, review, obj):
        return obj
    raise Http404


def booking_history_or_404(user, booking_id: int) -> Booking:
    """A booking whose history the user may read: the lawyer's own, or one
    of a centre the officer reviews for."""
    return _lawyers_or_reviewed(user, Booking.objects.select_related("centre"), booking_id, "visits.review_booking")


def own_waitlist_entry_or_404(user, entry_id: int) -> WaitlistEntry:
    """A waitlist entry of the signed-in lawyer."""
    return get_object_or_404(WaitlistEntry.objects.select_related("detainee", "centre"), pk=entry_id, lawyer=user)


def own_violation_or_404(user, violation_id: int) -> Violation:
    """A violation recorded against the signed-in lawyer."""
    return get_object_or_404(Violation.objects.select_related("centre"), pk=violation_id, lawyer=user)


def own_binding_or_404(user, binding_id: int) -> Binding:
    """A binding of the signed-in lawyer."""
    qs = Binding.objects.select_related("detainee", "detainee__centre", "case", "lawyer")
    return get_object_or_404(qs, pk=binding_id, lawyer=user)


def binding_for_review_or_404(user, binding_id: int) -> Binding:
    """A binding of a detainee of a centre the officer works for."""
    qs = Binding.objects.select_related("detainee", "detainee__centre", "case", "lawyer")
    return scope.get_or_404(user, "visits.review_binding", qs, pk=binding_id)


def binding_history_or_404(user, binding_id: int) -> Binding:
    """A binding whose history the user may read: the lawyer's own, or one
    the officer reviews."""
    qs = Binding.objects.select_related("detainee", "detainee__centre")
    return _lawyers_or_reviewed(user, qs, binding_id, "visits.review_binding")


def binding_document_or_404(user, document_id: int) -> BindingDocument:
    """A binding's document: for the binding's lawyer and the officers of the
    detainee's centre (and platform admins)."""
    qs = BindingDocument.objects.select_related("binding", "binding__detainee", "binding__detainee__centre")
    document = get_object_or_404(qs, pk=document_id)
    if document.binding.lawyer_id == user.pk or scope.can(user, "visits.review_binding", document.binding):
        return document
    raise Http404
