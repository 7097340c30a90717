"""The lawyer's messages to the judge (C10) and online file review (C11) in the JSON API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from lvshi.audit.downloads import serve_download
from lvshi.core.actor import Actor
from lvshi.core.api import Id
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, documents, selectors
from ..documents import UPLOADED_FILE
from ..models import ReviewStatus
from ..services import messages as message_svc
from ..services import reviews as review_svc

router = Router()
LAWYER = "courts.file"

Title = Annotated[str, Field(min_length=1, max_length=100, description="标题")]
Text = Annotated[str, Field(min_length=1, max_length=2000, description="内容")]


def _files_only(request) -> None:
    """A part named ``files`` must be a file: text sent in its place is refused, not ignored."""
    if "files" in request.POST:
        raise DomainError("files_not_files", "附件 files 须以文件上传（multipart 的文件部分）。")


# --- messages ---------------------------------------------------------------------------


class ThreadAttachmentOut(Schema):
    id: int = Field(description="下载：GET /api/v1/courts/attachments/{id}")
    name: str
    size: int


class ThreadMessageOut(Schema):
    id: int
    from_court: bool = Field(description="true 为法官的回复")
    author: str
    text: str
    created_at: datetime
    attachments: list[ThreadAttachmentOut]


class ThreadOut(Schema):
    id: int
    case_id: int
    case_number: str
    title: str
    last_at: datetime
    waiting: bool = Field(description="有待法官回复的留言")
    messages: list[ThreadMessageOut]


def _thread(t, *, with_messages: bool = True) -> dict:
    rows = list(selectors.thread_messages(t)) if with_messages else []
    return {
        "id": t.pk,
        "case_id": t.case_id,
        "case_number": t.case.number,
        "title": t.title,
        "last_at": t.last_at,
        "waiting": t.waiting_since is not None,
        "messages": [
            {
                "id": m.pk,
                "from_court": m.from_court,
                "author": m.author.name,
                "text": m.text,
                "created_at": m.created_at,
                "attachments": [{"id": a.pk, "name": a.name, "size": a.size} for a in m.attachments.all()],
            }
            for m in rows
        ],
    }


@router.get("/messages", response=list[ThreadOut], url_name="court_threads", summary="我给法官的留言（不含内容）")
@permissions.operation(LAWYER)
def list_threads(request):
    return [_thread(t, with_messages=False) for t in selectors.lawyer_threads(request.auth)[:200]]


@router.post(
    "/messages", response={201: ThreadOut}, url_name="court_thread_new", summary="给承办法官留言（multipart，可附文件）"
)
@permissions.operation(LAWYER)
def start_thread(
    request,
    case_id: Form[Id],
    title: Form[Title],
    text: Form[Text],
    files: File[list[UploadedFile] | None] = None,
):
    _files_only(request)
    case = access.linked_case_or_404(request.auth, case_id)
    thread = message_svc.thread_start(case=case, actor=Actor.of(request), title=title, text=text, uploads=files or [])
    return Status(201, _thread(thread))


@router.get("/messages/{int:thread_id}", response=ThreadOut, url_name="court_thread", summary="一条留言及法官的回复")
@permissions.operation(LAWYER)
def get_thread(request, thread_id: Id):
    return _thread(access.own_thread_or_404(request.auth, thread_id))


@router.post(
    "/messages/{int:thread_id}/replies", response={201: ThreadOut}, url_name="court_thread_post", summary="继续留言"
)
@permissions.operation(LAWYER)
def post_thread(
    request,
    thread_id: Id,
    text: Form[Text],
    files: File[list[UploadedFile] | None] = None,
):
    _files_only(request)
    thread = access.own_thread_or_404(request.auth, thread_id)
    message_svc.thread_post(thread=thread, actor=Actor.of(request), text=text, uploads=files or [])
    return Status(201, _thread(thread))


@router.get(
    "/attachments/{int:attachment_id}",
    response={200: bytes},
    url_name="court_attachment",
    summary="下载留言的附件",
    openapi_extra={"responses": {200: {"content": UPLOADED_FILE}}},
)
@permissions.operation(LAWYER)
def attachment(request, attachment_id: Id):
    found = access.attachment_or_404(request.auth, attachment_id)
    return serve_download(
        found.file,
        name=found.name,
        content_type=found.content_type,
        audit_action="courts.attachment_download",
        obj=found.message.thread,
        actor=Actor.of(request),
    )


# --- file review ------------------------------------------------------------------------


class ReviewVolumeOut(Schema):
    id: int
    title: str
    pages: int


class FileReviewOut(Schema):
    id: int
    case_id: int
    case_number: str
    reason: str
    status: ReviewStatus
    created_at: datetime
    until: datetime | None = Field(description="可查阅至")
    open: bool = Field(description="现在可以查阅")
    refuse_reason: str
    volumes: list[ReviewVolumeOut] = Field(description="准予查阅的卷宗；页面地址 …/volumes/{id}/pages/{n}")


def _review(r) -> dict:
    return {
        "id": r.pk,
        "case_id": r.case_id,
        "case_number": r.case.number,
        "reason": r.reason,
        "status": r.status,
        "created_at": r.created_at,
        "until": r.until,
        "open": review_svc.is_open(r),
        "refuse_reason": r.refuse_reason,
        "volumes": [{"id": v.pk, "title": v.title, "pages": v.pages} for v in r.volumes.all()],
    }


@router.get("/file-reviews", response=list[FileReviewOut], url_name="court_reviews", summary="我的阅卷申请")
@permissions.operation(LAWYER)
def list_reviews(request):
    return [_review(r) for r in selectors.lawyer_reviews(request.auth)[:200]]


class FileReviewIn(Schema):
    case_id: Id
    reason: str = Field(min_length=1, max_length=300)


@router.post("/file-reviews", response={201: FileReviewOut}, url_name="court_review_new", summary="申请网上阅卷")
@permissions.operation(LAWYER)
def request_review(request, body: FileReviewIn):
    case = access.linked_case_or_404(request.auth, body.case_id)
    review = review_svc.review_request(case=case, actor=Actor.of(request), reason=body.reason)
    return Status(201, _review(review))


class ReviewViewOut(Schema):
    at: datetime
    page: str = Field(description="卷宗和页码，如 正卷第一册 2/5")


class FileReviewDetailOut(FileReviewOut):
    log: list[ReviewViewOut] = Field(description="我的阅卷记录（最近 200 次）")


@router.get(
    "/file-reviews/{int:review_id}",
    response=FileReviewDetailOut,
    url_name="court_review",
    summary="一次阅卷申请及我的阅卷记录",
)
@permissions.operation(LAWYER)
def get_review(request, review_id: Id):
    review = access.own_review_or_404(request.auth, review_id)
    log = [{"at": e.occurred_at, "page": e.message} for e in selectors.review_log(review, request.auth)[:200]]
    return {**_review(review), "log": log}


@router.get(
    "/file-reviews/{int:review_id}/volumes/{int:volume_id}/pages/{int:page}",
    response={200: bytes},
    url_name="court_review_page",
    summary="卷宗的一页（带水印的 JPEG；每次查看都记录）",
    openapi_extra={"responses": {200: {"content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}}}}},
)
@permissions.operation(LAWYER)
def review_page(request, review_id: Id, volume_id: Id, page: Id) -> HttpResponse:
    review = access.own_review_or_404(request.auth, review_id)
    volume = access.review_volume_or_404(review, volume_id)
    image = review_svc.page_view(review=review, volume=volume, page=page, actor=Actor.of(request))
    return documents.page_image_response(image)
