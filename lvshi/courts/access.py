"""Loading court objects for a user, shared by pages and the API: anything
outside the user's reach answers 404 (``scope.get_or_404``)."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from lvshi.orgs import scope

from .models import (
    Attachment,
    Case,
    Exchange,
    ExchangeItem,
    ExchangeRecipient,
    FileReview,
    Filing,
    FilingStatus,
    Hearing,
    HearingRequest,
    Material,
    Payment,
    PaymentNotice,
    ServedDocument,
    Thread,
    Volume,
)

COURT = "case__court__organisation"


def own_filing_or_404(user, filing_id: int) -> Filing:
    """A filing of the signed-in lawyer (not deleted)."""
    qs = Filing.objects.select_related("court__organisation", "lawyer").exclude(status=FilingStatus.DELETED)
    return get_object_or_404(qs, pk=filing_id, lawyer=user)


def filing_for_review_or_404(user, filing_id: int) -> Filing:
    """A submitted (or decided) filing of a court the clerk reviews for."""
    qs = Filing.objects.select_related("court__organisation", "lawyer").exclude(
        status__in=[FilingStatus.DRAFT, FilingStatus.DELETED]
    )
    return scope.get_or_404(user, "courts.review_filing", qs, pk=filing_id)


def lawyer_cases(user):
    return Case.objects.filter(links__lawyer=user)


def case_or_404(user, case_id: int) -> Case:
    """A case the lawyer is linked to, or of a court the judge or clerk works in."""
    case = get_object_or_404(Case.objects.select_related("court__organisation", "judge", "clerk"), pk=case_id)
    if case.links.filter(lawyer=user).exists() or scope.can(user, "courts.view_court_cases", case):
        return case
    raise Http404


def may_print_notice(user, case: Case) -> bool:
    """The acceptance notice carries the query password: only the court's
    staff and the lawyer who filed the case may print it."""
    if scope.can(user, "courts.view_court_cases", case):
        return True
    filing = Filing.objects.filter(case=case).only("lawyer_id").first()
    return filing is not None and filing.lawyer_id == user.pk


def court_case_or_404(user, case_id: int, permission: str = "courts.schedule_hearing") -> Case:
    qs = Case.objects.select_related("court__organisation", "judge", "clerk")
    return scope.get_or_404(user, permission, qs, pk=case_id, read_action="courts.view_court_cases")


def notice_by_code_or_404(user, code: str) -> PaymentNotice:
    """A notice by its code, of a case the lawyer is linked to (a case not
    yet linked is bound first with its query code and password)."""
    code = (code or "").strip()
    if not code.isdigit() or len(code) != 16:
        raise Http404
    qs = PaymentNotice.objects.select_related("case__court__organisation").filter(case__links__lawyer=user)
    return get_object_or_404(qs, code=code)


def notice_for_staff_or_404(user, notice_id: int) -> PaymentNotice:
    qs = PaymentNotice.objects.select_related("case__court__organisation")
    return scope.get_or_404(user, "courts.adjust_fee", qs, pk=notice_id, read_action="courts.view_court_cases")


def own_payment_or_404(user, payment_id: int) -> Payment:
    return get_object_or_404(Payment.objects.select_related("notice__case"), pk=payment_id, payer=user)


def lawyer_hearing_or_404(user, hearing_id: int) -> Hearing:
    qs = Hearing.objects.select_related("case__court__organisation", "room")
    return get_object_or_404(qs.filter(case__links__lawyer=user).distinct(), pk=hearing_id)


def court_hearing_or_404(user, hearing_id: int) -> Hearing:
    qs = Hearing.objects.select_related("case__court__organisation", "room", "judge")
    return scope.get_or_404(user, "courts.schedule_hearing", qs, pk=hearing_id)


def request_for_judge_or_404(user, request_id: int) -> HearingRequest:
    qs = HearingRequest.objects.select_related("hearing__case__court__organisation", "hearing__room", "lawyer")
    return scope.get_or_404(user, "courts.decide_request", qs, pk=request_id, read_action="courts.view_court_cases")


def visible_to_lawyer(user) -> Q:
    return Q(case__links__lawyer=user)


def linked_case_or_404(user, case_id: int) -> Case:
    """A case the lawyer is linked to (materials, messages, file review)."""
    qs = Case.objects.select_related("court__organisation", "judge").filter(links__lawyer=user)
    return get_object_or_404(qs, pk=case_id)


def own_document_or_404(user, document_id: int) -> ServedDocument:
    return get_object_or_404(ServedDocument.objects.select_related(COURT), pk=document_id, recipient=user)


def court_document_or_404(user, document_id: int) -> ServedDocument:
    qs = ServedDocument.objects.select_related(COURT, "recipient")
    return scope.get_or_404(user, "courts.serve_document", qs, pk=document_id, read_action="courts.view_court_cases")


def exchanged_material_or_404(user, exchange_id: int, item_id: int) -> Material:
    """A material of an exchange sent to the lawyer (one query)."""
    item = get_object_or_404(
        ExchangeItem.objects.select_related("material"),
        pk=item_id,
        exchange_id=exchange_id,
        exchange__recipients__lawyer=user,
    )
    return item.material


def attachment_or_404(user, attachment_id: int) -> Attachment:
    """An attachment of the lawyer's own thread, or of a thread the court answers."""
    found = get_object_or_404(Attachment.objects.select_related("message__thread"), pk=attachment_id)
    try:
        own_thread_or_404(user, found.message.thread_id)
    except Http404:
        court_thread_or_404(user, found.message.thread_id)
    return found


def own_recipient_or_404(user, exchange_id: int) -> ExchangeRecipient:
    """The lawyer's copy of an exchange sent to them (another side's answers 404)."""
    qs = ExchangeRecipient.objects.select_related("exchange__case__court__organisation")
    return get_object_or_404(qs, exchange_id=exchange_id, lawyer=user)


def judge_exchange_or_404(user, exchange_id: int) -> Exchange:
    qs = Exchange.objects.select_related(COURT)
    return scope.get_or_404(user, "courts.exchange_evidence", qs, pk=exchange_id, read_action="courts.view_court_cases")


def own_thread_or_404(user, thread_id: int) -> Thread:
    return get_object_or_404(Thread.objects.select_related(COURT), pk=thread_id, lawyer=user)


def court_thread_or_404(user, thread_id: int) -> Thread:
    qs = Thread.objects.select_related(COURT, "lawyer")
    return scope.get_or_404(user, "courts.answer_message", qs, pk=thread_id, read_action="courts.view_court_cases")


def own_review_or_404(user, review_id: int) -> FileReview:
    return get_object_or_404(FileReview.objects.select_related(COURT), pk=review_id, lawyer=user)


def court_review_or_404(user, review_id: int) -> FileReview:
    qs = FileReview.objects.select_related(COURT, "lawyer")
    return scope.get_or_404(user, "courts.decide_review", qs, pk=review_id, read_action="courts.view_court_cases")


def review_volume_or_404(review: FileReview, volume_id: int) -> Volume:
    """A volume the review was approved for."""
    return get_object_or_404(review.volumes.all(), pk=volume_id)


def court_material_or_404(user, material_id: int) -> Material:
    qs = Material.objects.select_related(COURT, "lawyer")
    return scope.get_or_404(user, "courts.receive_material", qs, pk=material_id, read_action="courts.view_court_cases")
