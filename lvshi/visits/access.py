"""Loading meeting objects for a user: one function per object and purpose,
shared by pages and the API. Anything outside the user's reach answers 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from lvshi.orgs import scope
from lvshi.orgs.models import Organisation

from .models import (
    CENTRE_KINDS,
    Appeal,
    Binding,
    BindingDocument,
    Booking,
    BookingLock,
    Case,
    Complaint,
    Detainee,
    ExtraSession,
    Room,
    Violation,
    WaitlistEntry,
)


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


def appeal_for_decision_or_404(user, appeal_id: int) -> Appeal:
    """An appeal against a violation at a centre below the authority officer."""
    qs = Appeal.objects.select_related(
        "lawyer", "violation", "violation__centre", "violation__lock", "violation__booking__detainee"
    ).select_related("violation__booking__check_in")
    return scope.get_or_404(user, "visits.decide_appeal", qs, pk=appeal_id)


def appeal_history_or_404(user, appeal_id: int) -> Appeal:
    """An appeal whose history the user may read: the lawyer's own, or one
    the authority officer decides."""
    return _lawyers_or_reviewed(
        user, Appeal.objects.select_related("violation__centre"), appeal_id, "visits.decide_appeal"
    )


def lock_for_lift_or_404(user, lock_id: int) -> BookingLock:
    """A lock-out at a centre below the authority officer."""
    qs = BookingLock.objects.select_related("lawyer", "centre")
    return scope.get_or_404(user, "visits.lift_lock", qs, pk=lock_id)


def lock_history_or_404(user, lock_id: int) -> BookingLock:
    """A lock-out whose history the user may read: the lawyer's own, or one
    the authority officer may lift."""
    return _lawyers_or_reviewed(user, BookingLock.objects.select_related("centre"), lock_id, "visits.lift_lock")


def centre_or_404(user, centre_id: int) -> Organisation:
    """A centre or video point whose settings, rooms and sessions the user manages."""
    qs = Organisation.objects.filter(kind__in=CENTRE_KINDS)
    return scope.get_or_404(user, "visits.manage_centre", qs, pk=centre_id)


def room_or_404(user, room_id: int) -> Room:
    return scope.get_or_404(user, "visits.manage_centre", Room.objects.select_related("centre"), pk=room_id)


def extra_session_or_404(user, session_id: int) -> ExtraSession:
    qs = ExtraSession.objects.select_related("centre")
    return scope.get_or_404(user, "visits.manage_centre", qs, pk=session_id)


def complaint_or_404(user, complaint_id: int) -> Complaint:
    """A complaint of a centre in the staff member's scope (the centre's
    officers, authority officers above it)."""
    qs = Complaint.objects.select_related("centre", "lawyer", "recorded_by", "handled_by")
    return scope.get_or_404(user, "visits.handle_complaint", qs, pk=complaint_id)


def detainee_centre_or_404(user, centre_id: int) -> Organisation:
    """A detention centre whose detainee records the officer keeps."""
    return scope.get_or_404(user, "visits.manage_detainees", Organisation, pk=centre_id)


def detainee_or_404(user, detainee_id: int) -> Detainee:
    """A detainee of a centre where the user is an officer."""
    return scope.get_or_404(user, "visits.manage_detainees", Detainee.objects.select_related("centre"), pk=detainee_id)


def case_or_404(user, case_id: int) -> Case:
    """A case of a centre where the user is an officer."""
    return scope.get_or_404(user, "visits.manage_detainees", Case.objects.select_related("centre"), pk=case_id)


def detainee_for_meeting_request_or_404(user, detainee_id: int) -> Detainee:
    """A detainee of a centre where the officer records meeting requests."""
    qs = Detainee.objects.select_related("centre")
    return scope.get_or_404(user, "visits.record_meeting_request", qs, pk=detainee_id)


def booking_on_board_or_404(user, booking_id: int) -> Booking:
    """A booking on the day board of the officer's centre."""
    qs = Booking.objects.select_related("lawyer", "detainee", "centre", "assistant")
    return scope.get_or_404(user, "visits.view_board", qs, pk=booking_id)


def booking_for_check_in_or_404(user, booking_id: int) -> Booking:
    """A booking the officer may check in (their centre's)."""
    qs = Booking.objects.select_related("detainee", "centre", "lawyer")
    return scope.get_or_404(user, "visits.check_in", qs, pk=booking_id)
