"""The binding flow (V3): pre-check, review, the one in-person verification,
revocation and ending; every rule at its boundary, audited and notified."""

from datetime import date, time

import pytest

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.core.tests.files import EXE, HTML, PDF, PNG, ZIP, pdf_of_size, upload
from lvshi.notify.models import Delivery, Notification
from lvshi.visits import bindings
from lvshi.visits import bindings as svc
from lvshi.visits.models import (
    Binding,
    BindingDocument,
    BindingStatus,
    Booking,
    BookingStatus,
    DetaineeStatus,
    DocumentKind,
    SlotLoad,
)

from .factories import bind, make_case, make_detainee, make_lawyer


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def docs(**extra) -> dict:
    values = {
        "power_of_attorney": upload(PDF, "委托书.pdf"),
        "licence": upload(PNG, "执业证.png", "image/png"),
        "firm_letter": upload(PDF, "律所函.pdf"),
    }
    values.update(extra)
    return values


def submit(world, detainee, *, lawyer=None, **kwargs):
    values = {
        "actor": Actor(lawyer or world.lawyer),
        "centre": detainee.centre,
        "detainee_name": detainee.name,
        "centre_number": detainee.centre_number,
        "documents": docs(),
    }
    values.update(kwargs)
    return svc.binding_submit(**values)


def refused(code, func, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        func(**kwargs)
    assert info.value.code == code, info.value.message
    return info.value


def verified(world, detainee, lawyer=None) -> Binding:
    binding = submit(world, detainee, lawyer=lawyer)
    svc.binding_pass(binding=binding, actor=Actor(world.officer))
    return svc.binding_verify(binding=binding, actor=Actor(world.officer))


def actions(binding) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="visits.binding", object_id=str(binding.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True))


# --- submit ------------------------------------------------------------------------------


def test_submit_records_a_pending_binding_with_its_documents(world, centre):
    d = make_detainee(world.centre)
    binding = submit(world, d, case_number="")
    assert binding.status == BindingStatus.PENDING and binding.seat is None and binding.submitted_at
    stored = {doc.kind: doc for doc in binding.documents.all()}
    assert set(stored) == {"power_of_attorney", "licence", "firm_letter"}
    assert stored["licence"].content_type == "image/png" and stored["licence"].name == "执业证.png"
    assert "执业证" not in stored["licence"].file.name
    assert actions(binding) == ["visits.binding_submit"]


def test_an_unknown_detainee_is_refused_without_revealing_anything(world, centre):
    d = make_detainee(world.centre)
    other = make_detainee(world.other_centre)
    left = make_detainee(world.centre, status=DetaineeStatus.RELEASED)
    messages = {
        refused("detainee_not_found", submit, world=world, detainee=d, centre_number="J99999").message,
        refused("detainee_not_found", submit, world=world, detainee=d, detainee_name=other.name).message,
        refused("detainee_not_found", submit, world=world, detainee=other, centre=world.centre).message,
        refused("detainee_not_found", submit, world=world, detainee=left).message,
    }
    assert len(messages) == 1
    assert not Binding.objects.exists()


def test_only_lawyers_submit(world, centre):
    d = make_detainee(world.centre)
    refused("forbidden", submit, world=world, detainee=d, lawyer=world.officer)


def test_documents_are_required_and_the_legal_aid_letter_for_legal_aid(world, centre):
    d = make_detainee(world.centre)
    error = refused("document_missing", submit, world=world, detainee=d, documents={"licence": upload()})
    assert "委托书" in error.message and "律师事务所函" in error.message
    error = refused("document_missing", submit, world=world, detainee=d, legal_aid=True)
    assert "法律援助指派函" in error.message
    binding = submit(world, d, legal_aid=True, documents=docs(legal_aid_letter=upload(PDF, "指派函.pdf")))
    assert binding.legal_aid and binding.documents.filter(kind=DocumentKind.LEGAL_AID_LETTER).exists()


@pytest.mark.parametrize("bad", [ZIP, HTML, EXE])
def test_a_document_that_is_not_pdf_jpeg_or_png_is_refused(world, centre, bad, media):
    d = make_detainee(world.centre)
    error = refused("file_type", submit, world=world, detainee=d, documents=docs(firm_letter=upload(bad, "律所函.pdf")))
    assert "律师事务所函" in error.message
    assert not Binding.objects.exists() and not BindingDocument.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_document_at_the_size_limit_passes_and_one_byte_more_is_refused(world, centre, settings):
    settings.UPLOAD_MAX_BYTES = 4096
    d = make_detainee(world.centre)
    big = docs(power_of_attorney=upload(pdf_of_size(4097)))
    refused("file_too_large", submit, world=world, detainee=d, documents=big)
    refused("file_empty", submit, world=world, detainee=d, documents=docs(licence=upload(b"", "执业证.pdf")))
    assert submit(world, d, documents=docs(power_of_attorney=upload(pdf_of_size(4096))))


def test_one_open_binding_per_lawyer_and_detainee(world, centre):
    d = make_detainee(world.centre)
    first = submit(world, d)
    error = refused("already_open", submit, world=world, detainee=d)
    assert "待初审" in error.message
    svc.binding_withdraw(binding=first, actor=Actor(world.lawyer))
    assert submit(world, d).status == BindingStatus.PENDING


def test_a_case_number_must_be_the_detainees(world, centre):
    d, other = make_detainee(world.centre), make_detainee(world.centre)
    case = make_case(world.centre, d)
    make_case(world.centre, other)
    refused("case_mismatch", submit, world=world, detainee=d, case_number=other.cases.get().number)
    assert submit(world, d, case_number=case.number).case == case


def test_co_defendants_of_one_case_are_refused_at_submission(world, centre):
    a, b, c = make_detainee(world.centre), make_detainee(world.centre), make_detainee(world.centre)
    make_case(world.centre, a, b)
    submit(world, a)
    refused("co_defendant_conflict", submit, world=world, detainee=b)
    assert submit(world, c).status == BindingStatus.PENDING  # not in that case


def test_the_lawyer_is_told_up_front_when_two_lawyers_are_active(world, centre):
    d = make_detainee(world.centre)
    verified(world, d)
    binding = submit(world, d, lawyer=world.other_lawyer)
    assert svc.seats_warning(binding) == ""
    svc.binding_pass(binding=binding, actor=Actor(world.officer))
    svc.binding_verify(binding=binding, actor=Actor(world.officer))
    third = submit(world, d, lawyer=make_lawyer(world.firm))
    assert third.status == BindingStatus.PENDING
    assert "已有2名有效委托的律师" in svc.seats_warning(third)


# --- review -------------------------------------------------------------------------------


def test_return_needs_a_reason_of_at_most_300_characters_and_notifies(world, centre):
    binding = submit(world, make_detainee(world.centre))
    refused("reason_required", svc.binding_return, binding=binding, actor=Actor(world.officer), reason="  ")
    refused("reason_too_long", svc.binding_return, binding=binding, actor=Actor(world.officer), reason="字" * 301)
    svc.binding_return(binding=binding, actor=Actor(world.officer), reason="字" * 300)
    assert binding.status == BindingStatus.RETURNED and binding.reviewed_by == world.officer
    assert kinds(world.lawyer) == ["binding_returned"]
    assert Delivery.objects.filter(user=world.lawyer, kind="binding_returned", channel="sms").exists()
    assert actions(binding) == ["visits.binding_submit", "visits.binding_return"]


def test_resubmit_replaces_documents_and_goes_back_to_review(world, centre):
    binding = submit(world, make_detainee(world.centre))
    refused("wrong_status", svc.binding_resubmit, binding=binding, actor=Actor(world.lawyer), documents={})
    svc.binding_return(binding=binding, actor=Actor(world.officer), reason="委托书缺少委托人签名")
    refused(
        "file_type",
        svc.binding_resubmit,
        binding=binding,
        actor=Actor(world.lawyer),
        documents={"power_of_attorney": upload(HTML)},
    )
    assert Binding.objects.get(pk=binding.pk).status == BindingStatus.RETURNED
    svc.binding_resubmit(
        binding=binding, actor=Actor(world.lawyer), documents={"power_of_attorney": upload(PNG, "新.png")}
    )
    assert binding.status == BindingStatus.PENDING and binding.return_reason == ""
    current = {d.kind: d for d in svc.current_documents(binding)}
    assert current["power_of_attorney"].name == "新.png"
    assert binding.documents.filter(kind="power_of_attorney").count() == 2
    assert actions(binding)[-1] == "visits.binding_resubmit"


def test_another_lawyer_cannot_resubmit_or_withdraw(world, centre):
    binding = submit(world, make_detainee(world.centre))
    refused("forbidden", svc.binding_withdraw, binding=binding, actor=Actor(world.other_lawyer))
    refused("forbidden", svc.binding_resubmit, binding=binding, actor=Actor(world.other_lawyer), documents={})


def test_pass_then_verify_activates_takes_a_seat_and_notifies(world, centre):
    binding = submit(world, make_detainee(world.centre))
    refused("wrong_status", svc.binding_verify, binding=binding, actor=Actor(world.officer))
    svc.binding_pass(binding=binding, actor=Actor(world.officer))
    assert binding.status == BindingStatus.VERIFYING
    refused("wrong_status", svc.binding_pass, binding=binding, actor=Actor(world.officer))
    svc.binding_verify(binding=binding, actor=Actor(world.officer))
    assert binding.status == BindingStatus.ACTIVE and binding.seat == 1 and binding.verified_by == world.officer
    refused("wrong_status", svc.binding_verify, binding=binding, actor=Actor(world.officer))
    assert kinds(world.lawyer) == ["binding_passed", "binding_activated"]
    assert Delivery.objects.filter(user=world.lawyer, kind="binding_activated", channel="sms").exists()
    assert actions(binding) == ["visits.binding_submit", "visits.binding_pass", "visits.binding_verify"]


def test_withdraw_from_pending_returned_or_verifying_only(world, centre):
    for prepare in (lambda b: None, lambda b: svc.binding_return(binding=b, actor=Actor(world.officer), reason="补正")):
        binding = submit(world, make_detainee(world.centre))
        prepare(binding)
        assert svc.binding_withdraw(binding=binding, actor=Actor(world.lawyer)).status == BindingStatus.WITHDRAWN
    binding = submit(world, make_detainee(world.centre))
    svc.binding_pass(binding=binding, actor=Actor(world.officer))
    svc.binding_withdraw(binding=binding, actor=Actor(world.lawyer))
    active = verified(world, make_detainee(world.centre))
    refused("wrong_status", svc.binding_withdraw, binding=active, actor=Actor(world.lawyer))


def test_the_third_lawyer_is_verified_only_after_a_revocation(world, centre):
    d = make_detainee(world.centre)
    first = verified(world, d)
    second = verified(world, d, lawyer=world.other_lawyer)
    assert {first.seat, second.seat} == {1, 2}
    third = submit(world, d, lawyer=make_lawyer(world.firm))
    svc.binding_pass(binding=third, actor=Actor(world.officer))
    error = refused("binding_limit", svc.binding_verify, binding=third, actor=Actor(world.officer))
    assert "需先登记解除委托" in error.message
    assert Binding.objects.get(pk=third.pk).status == BindingStatus.VERIFYING
    freed = first.seat
    svc.binding_revoke(
        binding=first, actor=Actor(world.officer), document=upload(PDF, "解除委托书.pdf"), note="家属另行委托"
    )
    svc.binding_verify(binding=third, actor=Actor(world.officer))
    assert third.status == BindingStatus.ACTIVE and third.seat == freed


def test_a_co_defendant_actively_bound_to_the_lawyer_blocks_verification(world, centre):
    a, b = make_detainee(world.centre), make_detainee(world.centre)
    make_case(world.centre, a, b)
    pending_b = submit(world, b)
    svc.binding_pass(binding=pending_b, actor=Actor(world.officer))
    # the lawyer's binding to the co-defendant became active another way meanwhile
    bindings.binding_create(lawyer=world.lawyer, detainee=a)
    refused("co_defendant_conflict", svc.binding_verify, binding=pending_b, actor=Actor(world.officer))


def test_a_released_detainee_cannot_be_verified(world, centre):
    d = make_detainee(world.centre)
    binding = submit(world, d)
    svc.binding_pass(binding=binding, actor=Actor(world.officer))
    d.status = DetaineeStatus.RELEASED
    d.save()
    refused("detainee_not_held", svc.binding_verify, binding=binding, actor=Actor(world.officer))


# --- revocation and ending -----------------------------------------------------------------


def _booking(lawyer, detainee, day, start="08:30", end="11:00", status=BookingStatus.APPROVED):
    from django.utils import timezone

    SlotLoad.objects.get_or_create(
        centre=detainee.centre,
        date=day,
        start=time.fromisoformat(start),
        room_kind="in_person",
        defaults={"end": time.fromisoformat(end), "capacity": 2, "taken": 0},
    )
    SlotLoad.objects.filter(centre=detainee.centre, date=day, start=time.fromisoformat(start)).update(taken=1)
    return Booking.objects.create(
        lawyer=lawyer,
        detainee=detainee,
        centre=detainee.centre,
        date=day,
        start=start,
        end=end,
        status=status,
        submitted_at=timezone.now(),
    )


def test_revocation_needs_the_document_checked_by_content(world, centre):
    binding = verified(world, make_detainee(world.centre))
    refused("document_missing", svc.binding_revoke, binding=binding, actor=Actor(world.officer), document=None)
    refused("file_type", svc.binding_revoke, binding=binding, actor=Actor(world.officer), document=upload(ZIP))
    refused(
        "reason_too_long",
        svc.binding_revoke,
        binding=binding,
        actor=Actor(world.officer),
        document=upload(),
        note="字" * 301,
    )
    assert Binding.objects.get(pk=binding.pk).status == BindingStatus.ACTIVE


def test_revocation_ends_the_binding_cancels_future_bookings_and_tells_the_lawyer(world, centre, clock):
    d = make_detainee(world.centre)
    binding = verified(world, d)
    past = _booking(world.lawyer, d, date(2026, 9, 25), status=BookingStatus.COMPLETED)
    today_earlier = _booking(world.lawyer, d, date(2026, 9, 28), "08:30", "09:30")
    future = _booking(world.lawyer, d, date(2026, 9, 29))
    other = make_detainee(world.centre)
    bind(world.lawyer, other)
    unrelated = _booking(world.lawyer, other, date(2026, 9, 30))
    svc.binding_revoke(
        binding=binding, actor=Actor(world.officer), document=upload(PNG, "解除.png"), note="委托人书面解除"
    )
    binding.refresh_from_db()
    assert binding.status == BindingStatus.ENDED and binding.end_reason == "revoked"
    assert binding.ended_by == world.officer and binding.end_note == "委托人书面解除"
    assert binding.documents.filter(kind=DocumentKind.REVOCATION, uploaded_by=world.officer).exists()
    future.refresh_from_db()
    assert future.status == BookingStatus.CANCELLED and "解除委托" in future.reason
    assert SlotLoad.objects.get(centre=d.centre, date=date(2026, 9, 29)).taken == 0
    for b in (past, today_earlier, unrelated):
        assert Booking.objects.get(pk=b.pk).status == b.status
    assert set(kinds(world.lawyer)) >= {"binding_revoked", "binding_bookings_cancelled"}
    assert Delivery.objects.filter(user=world.lawyer, kind="binding_revoked", channel="sms").exists()
    assert actions(binding)[-1] == "visits.binding_revoke"
    assert AuditEvent.objects.filter(action="visits.booking_cancel", object_id=str(future.pk)).exists()


def test_the_lawyer_ends_their_own_binding(world, centre, clock):
    d = make_detainee(world.centre)
    binding = verified(world, d)
    future = _booking(world.lawyer, d, date(2026, 9, 30))
    svc.binding_end(binding=binding, actor=Actor(world.lawyer))
    assert binding.status == BindingStatus.ENDED and binding.end_reason == "lawyer" and binding.ended_by == world.lawyer
    assert Booking.objects.get(pk=future.pk).status == BookingStatus.CANCELLED
    refused("wrong_status", svc.binding_end, binding=binding, actor=Actor(world.lawyer))
    assert actions(binding)[-1] == "visits.binding_end"


def test_binding_create_makes_an_active_binding_with_seat_and_times(world, centre):
    d = make_detainee(world.centre)
    binding = bindings.binding_create(lawyer=world.lawyer, detainee=d, actor=Actor(world.officer))
    assert binding.status == BindingStatus.ACTIVE and binding.seat == 1
    assert binding.submitted_at and binding.verified_at and binding.verified_by == world.officer
    refused("already_bound", bindings.binding_create, lawyer=world.lawyer, detainee=d)


def test_the_transitions_name_their_sources():
    assert svc.TRANSITIONS["verify"].sources == (BindingStatus.VERIFYING,)
    assert svc.TRANSITIONS["revoke"].sources == (BindingStatus.ACTIVE,)
    assert set(svc.TRANSITIONS["withdraw"].sources) == {"pending", "returned", "verifying"}
