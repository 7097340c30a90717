"""The lawyer's casework after filing in the JSON API: materials (C4),
evidence exchanges (C5), served documents (C9), messages to the judge
(C10) and online file review (C11)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from lvshi.audit.downloads import serve_download
from lvshi.core.actor import Actor
from lvshi.core.api import Id, one_of
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, documents, selectors
from ..documents import PDF_FILE, UPLOADED_FILE
from ..models import MaterialStatus, ServedKind, ServiceStatus, Stance
from ..services import exchanges as exchange_svc
from ..services import materials as material_svc
from ..services import service as service_svc

router = Router()
LAWYER = "courts.file"

Title = Annotated[str, Field(min_length=1, max_length=100, description="标题或名称")]
Text = Annotated[str, Field(min_length=1, max_length=2000, description="内容")]


# --- materials --------------------------------------------------------------------------


class MaterialOut(Schema):
    id: int
    case_id: int
    title: str
    name: str
    content_type: str
    size: int
    sha256: str
    status: MaterialStatus
    submitted_at: datetime
    decided_at: datetime | None
    return_reason: str = Field(description="退回原因（被退回时）")


def _material(m) -> dict:
    return {
        "id": m.pk,
        "case_id": m.case_id,
        "title": m.title,
        "name": m.name,
        "content_type": m.content_type,
        "size": m.size,
        "sha256": m.sha256,
        "status": m.status,
        "submitted_at": m.submitted_at,
        "decided_at": m.decided_at,
        "return_reason": m.return_reason,
    }


@router.get(
    "/cases/{int:case_id}/materials", response=list[MaterialOut], url_name="court_materials", summary="本案我提交的材料"
)
@permissions.operation(LAWYER)
def list_materials(request, case_id: Id):
    case = access.linked_case_or_404(request.auth, case_id)
    return [_material(m) for m in selectors.case_materials(case, request.auth)[:500]]


@router.post(
    "/cases/{int:case_id}/materials",
    response={201: list[MaterialOut]},
    url_name="court_materials_add",
    summary="提交材料（multipart，可一次多个文件）",
)
@permissions.operation(LAWYER)
def add_materials(
    request,
    case_id: Id,
    title: Form[Title],
    files: File[list[UploadedFile] | None] = None,
):
    if "files" in request.POST:
        raise DomainError("files_not_files", "材料 files 须以文件上传（multipart 的文件部分）。")
    case = access.linked_case_or_404(request.auth, case_id)
    rows = material_svc.material_add(case=case, actor=Actor.of(request), title=title, uploads=files or [])
    return Status(201, [_material(m) for m in rows])


class MaterialIdsIn(Schema):
    ids: list[Id] = Field(min_length=1, max_length=100, description="材料编号")


class MaterialsDeletedOut(Schema):
    deleted: int


@router.post(
    "/materials/delete",
    response=MaterialsDeletedOut,
    url_name="court_materials_delete",
    summary="删除多份未被接收的材料（全部或都不删）",
)
@permissions.operation(LAWYER)
def delete_materials(request, body: MaterialIdsIn):
    return {"deleted": material_svc.material_delete(actor=Actor.of(request), ids=body.ids)}


# --- evidence exchanges -----------------------------------------------------------------


class ExchangeOpinionOut(Schema):
    authenticity: Stance | None
    legality: Stance | None
    relevance: Stance | None
    comment: str


class ExchangeItemOut(Schema):
    id: int
    title: str
    name: str
    opinion: ExchangeOpinionOut | None = Field(description="我的意见（草稿或已提交）")


class ExchangeOut(Schema):
    id: int
    case_id: int
    case_number: str
    title: str
    note: str
    deadline: datetime
    submitted_at: datetime | None
    closed: bool = Field(description="已提交或已过截止时间：不能再修改")
    items: list[ExchangeItemOut]


def _exchange(recipient) -> dict:
    from django.utils import timezone

    ex = recipient.exchange
    items = []
    for item, o in selectors.exchange_items(recipient):
        opinion = None
        if o is not None:
            opinion = {
                "authenticity": o.authenticity or None,
                "legality": o.legality or None,
                "relevance": o.relevance or None,
                "comment": o.comment,
            }
        items.append({"id": item.pk, "title": item.material.title, "name": item.material.name, "opinion": opinion})
    return {
        "id": ex.pk,
        "case_id": ex.case_id,
        "case_number": ex.case.number,
        "title": ex.title,
        "note": ex.note,
        "deadline": ex.deadline,
        "submitted_at": recipient.submitted_at,
        "closed": recipient.submitted_at is not None or timezone.now() >= ex.deadline,
        "items": items,
    }


@router.get("/evidence-exchanges", response=list[ExchangeOut], url_name="court_exchanges", summary="发给我的证据交换")
@permissions.operation(LAWYER)
def list_exchanges(request):
    return [_exchange(r) for r in selectors.lawyer_exchanges(request.auth)[:100]]


@router.get(
    "/evidence-exchanges/{int:exchange_id}",
    response=ExchangeOut,
    url_name="court_exchange",
    summary="一次证据交换及我的意见",
)
@permissions.operation(LAWYER)
def get_exchange(request, exchange_id: Id):
    return _exchange(access.own_recipient_or_404(request.auth, exchange_id))


class ExchangeOpinionIn(Schema):
    item_id: Id
    authenticity: Stance | None = None
    legality: Stance | None = None
    relevance: Stance | None = None
    comment: str = Field("", max_length=2000)


class OpinionsIn(Schema):
    opinions: list[ExchangeOpinionIn] = Field(min_length=1, max_length=100)


@router.put(
    "/evidence-exchanges/{int:exchange_id}/opinions",
    response=ExchangeOut,
    url_name="court_exchange_opinions",
    summary="保存质证意见草稿（截止前、提交前可反复保存）",
)
@permissions.operation(LAWYER)
def save_opinions(request, exchange_id: Id, body: OpinionsIn):
    recipient = access.own_recipient_or_404(request.auth, exchange_id)
    opinions = {o.item_id: o.dict(exclude={"item_id"}) for o in body.opinions}
    exchange_svc.opinions_save(recipient=recipient, actor=Actor.of(request), opinions=opinions)
    return _exchange(recipient)


@router.post(
    "/evidence-exchanges/{int:exchange_id}/submit",
    response=ExchangeOut,
    url_name="court_exchange_submit",
    summary="提交质证意见（只能一次）",
)
@permissions.operation(LAWYER)
def submit_opinions(request, exchange_id: Id):
    recipient = access.own_recipient_or_404(request.auth, exchange_id)
    exchange_svc.opinions_submit(recipient=recipient, actor=Actor.of(request))
    return _exchange(recipient)


@router.get(
    "/evidence-exchanges/{int:exchange_id}/items/{int:item_id}/file",
    response={200: bytes},
    url_name="court_exchange_item_file",
    summary="下载发给我的一份证据（每次下载都记录）",
    openapi_extra={"responses": {200: {"content": UPLOADED_FILE}}},
)
@permissions.operation(LAWYER)
def exchange_item_file(request, exchange_id: Id, item_id: Id):
    m = access.exchanged_material_or_404(request.auth, exchange_id, item_id)
    return serve_download(
        m.file,
        name=m.name,
        content_type=m.content_type,
        audit_action="courts.material_download",
        obj=m,
        actor=Actor.of(request),
    )


# --- served documents -------------------------------------------------------------------


class ServedDocumentOut(Schema):
    id: int
    case_id: int
    case_number: str
    court: str
    kind: ServedKind
    title: str
    size: int
    sha256: str
    status: ServiceStatus
    sent_at: datetime
    signed_at: datetime | None = Field(description="签收时间，即送达时间")
    deadline: str | None = Field(description="送达引起的期限（上诉期）届满日 YYYY-MM-DD")


def _document(d) -> dict:
    return {
        "id": d.pk,
        "case_id": d.case_id,
        "case_number": d.case.number,
        "court": d.case.court.organisation.name,
        "kind": d.kind,
        "title": d.title,
        "size": d.size,
        "sha256": d.sha256,
        "status": d.status,
        "sent_at": d.sent_at,
        "signed_at": d.signed_at,
        "deadline": d.deadline.isoformat() if d.deadline else None,
    }


class ServedDocumentsQuery(Schema):
    status: one_of(ServiceStatus.values, "to_sign 待签收，signed 已签收") = ServiceStatus.TO_SIGN  # type: ignore[valid-type]


@router.get("/documents", response=list[ServedDocumentOut], url_name="court_documents", summary="电子送达的文书")
@permissions.operation(LAWYER)
def list_documents(request, query: Query[ServedDocumentsQuery]):
    return [_document(d) for d in selectors.lawyer_documents(request.auth, status=query.status)[:200]]


class SigningKeyOut(Schema):
    expires_at: datetime
    message: str


@router.post(
    "/documents/{int:document_id}/key",
    response=SigningKeyOut,
    url_name="court_document_key",
    summary="获取签收密钥（短信发送）",
)
@permissions.operation(LAWYER)
def send_key(request, document_id: Id):
    key = service_svc.key_send(document=access.own_document_or_404(request.auth, document_id), actor=Actor.of(request))
    return {"expires_at": key.expires_at, "message": "签收密钥已以短信发送到您的手机。"}


class DocumentSignIn(Schema):
    key: str = Field(min_length=1, max_length=20, description="短信中的6位签收密钥")


@router.post(
    "/documents/{int:document_id}/sign",
    response=ServedDocumentOut,
    url_name="court_document_sign",
    summary="用签收密钥签收",
)
@permissions.operation(LAWYER)
def sign(request, document_id: Id, body: DocumentSignIn):
    document = access.own_document_or_404(request.auth, document_id)
    service_svc.document_sign(document=document, actor=Actor.of(request), key=body.key)
    document.refresh_from_db()
    return _document(document)


@router.get(
    "/documents/{int:document_id}/file",
    response={200: bytes},
    url_name="court_document_file",
    summary="下载已签收的文书（PDF；每次下载都记录）",
    openapi_extra={"responses": {200: {"content": PDF_FILE}}},
)
@permissions.operation(LAWYER)
def document_file(request, document_id: Id):
    document = access.own_document_or_404(request.auth, document_id)
    return documents.served_file_response(document, actor=Actor.of(request))


@router.get(
    "/documents/{int:document_id}/proof",
    response={200: bytes},
    url_name="court_document_proof",
    summary="送达回证（PDF）",
    openapi_extra={"responses": {200: {"content": PDF_FILE}}},
)
@permissions.operation(LAWYER)
def document_proof(request, document_id: Id):
    document = access.own_document_or_404(request.auth, document_id)
    return documents.proof_of_service_response(document, actor=Actor.of(request))
