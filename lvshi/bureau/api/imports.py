"""Importing the registry (A2) in the API: upload → preview, confirm."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from lvshi.core.actor import Actor
from lvshi.core.api import Id
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access
from ..models import Import, ImportKind, ImportStatus
from ..services import imports as svc

router = Router()
RULE = "bureau.import_registry"


class ImportErrorOut(Schema):
    row: int = Field(description="Excel 中的行号（第1行为列名）")
    column: str = Field(description="列名")
    message: str


class ImportOut(Schema):
    id: int
    kind: ImportKind
    name: str
    status: ImportStatus
    rows: int = Field(description="数据行数")
    unchanged: int = Field(description="名册中已有且一致、导入不会改变的行数")
    created: int = Field(description="已新增的行数（导入完成后）")
    written: int = Field(description="后台导入进行中已写入的行数")
    error_count: int
    errors: list[ImportErrorOut] = Field(description="前500处错误")
    failure: str = Field(description="不能导入的原因（如该文件已导入过）")
    created_at: datetime
    finished_at: datetime | None


def _out(record: Import) -> dict:
    return {
        **{
            f: getattr(record, f)
            for f in (
                "id",
                "kind",
                "name",
                "status",
                "rows",
                "unchanged",
                "created",
                "error_count",
                "errors",
                "failure",
                "created_at",
                "finished_at",
            )
        },
        "written": svc.written(record),
    }


@router.post(
    "/imports", response={201: ImportOut}, url_name="bureau_imports", summary="上传 Excel，逐行核对并预览（不写入名册）"
)
@permissions.operation(RULE)
def upload(request, kind: Form[ImportKind], file: File[UploadedFile]):
    if "file" in request.POST:
        raise DomainError("file_not_file", "file 须以文件上传（multipart 的文件部分）。")
    org = access.importer(request.auth)
    if org is None:
        raise DomainError("importer_unknown", "您不在司法行政机关或律师事务所任职，不能导入名册数据。", status=403)
    record = svc.import_upload(actor=Actor.of(request), organisation=org, kind=kind, upload=file)
    return Status(201, _out(record))


@router.get("/imports/{int:import_id}", response=ImportOut, url_name="bureau_import", summary="导入的预览和进度")
@permissions.operation(RULE)
def get_import(request, import_id: Id):
    return _out(access.import_or_404(request.auth, import_id))


@router.post(
    "/imports/{int:import_id}/confirm",
    response=ImportOut,
    url_name="bureau_import_confirm",
    summary="确认导入（后台进行，全部成功才写入）",
)
@permissions.operation(RULE)
def confirm(request, import_id: Id):
    record = access.import_or_404(request.auth, import_id)
    svc.import_confirm(record=record, actor=Actor.of(request))
    return _out(access.import_or_404(request.auth, import_id))
