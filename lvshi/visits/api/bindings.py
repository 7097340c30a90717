"""Bindings in the JSON API: the lawyer's bindings and pre-check (multipart
uploads), and the officers' review, verification and revocations."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from lvshi.audit.downloads import serve_download
from lvshi.core.actor import Actor
from lvshi.core.api import Id, StepOut, one_of
from lvshi.orgs import permissions

from .. import access
from .. import bindings as svc
from ..models import Binding, BindingStatus, DocumentKind

router = Router()


class DocumentOut(Schema):
    id: int
    kind: DocumentKind
    kind_label: str
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    url: str = Field(description="下载地址（需登录）")


class BindingOut(Schema):
    id: int
    detainee_id: int
    detainee: str
    centre_id: int
    centre: str
    case: str
    status: BindingStatus
    status_label: str
    legal_aid: bool
    return_reason: str
    submitted_at: datetime | None
    verified_at: datetime | None
    ended_at: datetime | None
    end_reason: str
    documents: list[DocumentOut]


class ReviewOut(BindingOut):
    lawyer_id: int
    lawyer: str
    centre_number: str


class SubmitOut(Schema):
    binding: BindingOut
    warning: str = Field(description="例如该在押人员已有2名有效委托律师时的提示")


class BindingListParams(Schema):
    status: BindingStatus | None = Field(None, description="默认 active")


REVIEW_STATUS = one_of([BindingStatus.PENDING, BindingStatus.VERIFYING, BindingStatus.ACTIVE])


class ReviewListParams(Schema):
    status: REVIEW_STATUS = BindingStatus.PENDING.value


class ReturnIn(Schema):
    reason: str = Field("", max_length=300)


def _document_out(d) -> dict:
    return {
        "id": d.pk,
        "kind": d.kind,
        "kind_label": d.get_kind_display(),
        "name": d.name,
        "content_type": d.content_type,
        "size": d.size,
        "sha256": d.sha256,
        "uploaded_at": d.uploaded_at,
        "url": reverse("api:visit_binding_document", kwargs={"document_id": d.pk}),
    }


def _binding_out(b: Binding) -> dict:
    return {
        "id": b.pk,
        "detainee_id": b.detainee_id,
        "detainee": b.detainee.name,
        "centre_id": b.detainee.centre_id,
        "centre": b.detainee.centre.name,
        "case": b.case.number if b.case else "",
        "status": b.status,
        "status_label": str(BindingStatus(b.status).label),
        "legal_aid": b.legal_aid,
        "return_reason": b.return_reason,
        "submitted_at": b.submitted_at,
        "verified_at": b.verified_at,
        "ended_at": b.ended_at,
        "end_reason": b.end_reason,
        "documents": [_document_out(d) for d in svc.current_documents(b)],
    }


def _review_out(b: Binding) -> dict:
    return {
        **_binding_out(b),
        "lawyer_id": b.lawyer_id,
        "lawyer": b.lawyer.name,
        "centre_number": b.detainee.centre_number,
    }


# --- lawyers -----------------------------------------------------------------------------


@router.get("/bindings", response=list[BindingOut], url_name="visit_bindings", summary="我的委托关系（默认只列有效的）")
@permissions.operation(permissions.SIGNED_IN)
def list_bindings(request, params: Query[BindingListParams]):
    return [_binding_out(b) for b in svc.bindings_of(request.auth, status=params.status or BindingStatus.ACTIVE)]


@router.post(
    "/bindings",
    response={201: SubmitOut},
    url_name="visit_binding_submit",
    summary="提交委托材料（multipart：字段和委托书、执业证、律所函、法律援助指派函文件）",
)
@permissions.operation("visits.bind")
def submit_binding(
    request,
    centre_id: Form[Id | None] = None,
    detainee_name: Form[str] = "",
    centre_number: Form[str] = "",
    case_number: Form[str] = "",
    legal_aid: Form[bool] = False,
    power_of_attorney: File[UploadedFile | None] = None,
    licence: File[UploadedFile | None] = None,
    firm_letter: File[UploadedFile | None] = None,
    legal_aid_letter: File[UploadedFile | None] = None,
):
    binding = svc.binding_submit(
        actor=Actor.of(request),
        centre=centre_id,
        detainee_name=detainee_name,
        centre_number=centre_number,
        case_number=case_number,
        legal_aid=legal_aid,
        documents={
            "power_of_attorney": power_of_attorney,
            "licence": licence,
            "firm_letter": firm_letter,
            "legal_aid_letter": legal_aid_letter,
        },
    )
    binding = svc.bindings_of(request.auth).get(pk=binding.pk)
    return Status(201, {"binding": _binding_out(binding), "warning": svc.seats_warning(binding)})


def _own(request, binding_id: Id) -> Binding:
    return access.own_binding_or_404(request.auth, binding_id)


@router.post(
    "/bindings/{int:binding_id}/resubmit",
    response=BindingOut,
    url_name="visit_binding_resubmit",
    summary="补正后重新提交（multipart：需更换的材料、更正的案号）",
)
@permissions.operation(permissions.SIGNED_IN)
def resubmit_binding(
    request,
    binding_id: Id,
    case_number: Form[str] = "",
    power_of_attorney: File[UploadedFile | None] = None,
    licence: File[UploadedFile | None] = None,
    firm_letter: File[UploadedFile | None] = None,
    legal_aid_letter: File[UploadedFile | None] = None,
):
    binding = _own(request, binding_id)
    documents = {
        "power_of_attorney": power_of_attorney,
        "licence": licence,
        "firm_letter": firm_letter,
        "legal_aid_letter": legal_aid_letter,
    }
    svc.binding_resubmit(binding=binding, actor=Actor.of(request), documents=documents, case_number=case_number)
    return _binding_out(binding)


@router.post(
    "/bindings/{int:binding_id}/withdraw",
    response=BindingOut,
    url_name="visit_binding_withdraw",
    summary="撤回",
)
@permissions.operation(permissions.SIGNED_IN)
def withdraw_binding(request, binding_id: Id):
    return _binding_out(svc.binding_withdraw(binding=_own(request, binding_id), actor=Actor.of(request)))


@router.post("/bindings/{int:binding_id}/end", response=BindingOut, url_name="visit_binding_end", summary="终止委托")
@permissions.operation(permissions.SIGNED_IN)
def end_binding(request, binding_id: Id):
    return _binding_out(svc.binding_end(binding=_own(request, binding_id), actor=Actor.of(request)))


class BindingStepOut(StepOut):
    source: BindingStatus
    target: BindingStatus


@router.get(
    "/bindings/{int:binding_id}/history",
    response=list[BindingStepOut],
    url_name="visit_binding_history",
    summary="委托的办理记录（谁、何时、从什么状态到什么状态、原因）",
)
@permissions.operation(permissions.SIGNED_IN)
def binding_history(request, binding_id: Id):
    binding = access.binding_history_or_404(request.auth, binding_id)
    return [step.__dict__ for step in svc.FLOW.history(binding)]


@router.get(
    "/binding-documents/{int:document_id}",
    url_name="visit_binding_document",
    summary="下载委托材料（委托律师和该看守所民警）",
)
@permissions.operation(permissions.SIGNED_IN)
def download_document(request, document_id: Id):
    document = access.binding_document_or_404(request.auth, document_id)
    return serve_download(
        document.file,
        name=document.name,
        content_type=document.content_type,
        audit_action="visits.binding_document_download",
        obj=document,
        actor=Actor.of(request),
    )


# --- officers ------------------------------------------------------------------------------


@router.get("/binding-reviews", response=list[ReviewOut], url_name="visit_binding_reviews", summary="本所待审核的委托")
@permissions.operation("visits.review_binding")
def list_reviews(request, params: Query[ReviewListParams]):
    return [_review_out(b) for b in svc.review_queue(request.auth, status=params.status)]


def _for_review(request, binding_id: Id) -> Binding:
    return access.binding_for_review_or_404(request.auth, binding_id)


@router.post("/bindings/{int:binding_id}/pass", response=ReviewOut, url_name="visit_binding_pass", summary="初审通过")
@permissions.operation(permissions.SIGNED_IN)
def pass_binding(request, binding_id: Id):
    return _review_out(svc.binding_pass(binding=_for_review(request, binding_id), actor=Actor.of(request)))


@router.post(
    "/bindings/{int:binding_id}/return",
    response=ReviewOut,
    url_name="visit_binding_return",
    summary="退回",
)
@permissions.operation(permissions.SIGNED_IN)
def return_binding(request, binding_id: Id, payload: ReturnIn):
    binding = _for_review(request, binding_id)
    return _review_out(svc.binding_return(binding=binding, actor=Actor.of(request), reason=payload.reason))


@router.post(
    "/bindings/{int:binding_id}/verify",
    response=ReviewOut,
    url_name="visit_binding_verify",
    summary="现场核验",
)
@permissions.operation(permissions.SIGNED_IN)
def verify_binding(request, binding_id: Id):
    binding = _for_review(request, binding_id)
    return _review_out(svc.binding_verify(binding=binding, actor=Actor.of(request)))


@router.post(
    "/bindings/{int:binding_id}/revoke",
    response=ReviewOut,
    url_name="visit_binding_revoke",
    summary="登记解除委托（multipart：解除委托书 document、说明 note）",
)
@permissions.operation(permissions.SIGNED_IN)
def revoke_binding(request, binding_id: Id, note: Form[str] = "", document: File[UploadedFile | None] = None):
    binding = _for_review(request, binding_id)
    return _review_out(svc.binding_revoke(binding=binding, actor=Actor.of(request), document=document, note=note))
