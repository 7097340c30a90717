"""The registry (A1) in the API: lawyers and firms within the reader's reach."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from lvshi.core.actor import Actor
from lvshi.core.api import Limit, Offset, one_of
from lvshi.core.xlsx import CONTENT_TYPE
from lvshi.orgs import permissions

from .. import selectors
from ..exports import EXPORTS
from ..models import FirmForm, FirmStatus, LawyerKind, LawyerStatus
from ..services import exports

router = Router()
READ = "bureau.view_registry"

Search = Annotated[str, Field(max_length=50, description="姓名、执业证号、机构名称或统一社会信用代码的一部分")]


class LawyerFilters(Schema):
    q: Search = ""
    status: one_of(["", *LawyerStatus.values], "执业状态；空为全部") = ""  # type: ignore[valid-type]
    kind: one_of(["", *LawyerKind.values], "律师类别；空为全部") = ""  # type: ignore[valid-type]
    offset: Offset = 0
    limit: Limit = 50


class RegistryLawyerOut(Schema):
    id: int
    licence_no: str
    name: str
    kind: LawyerKind
    status: LawyerStatus
    organisation_id: int
    organisation: str = Field(description="执业机构")
    id_number_masked: str = Field(description="身份证号码（只显示前4位和后4位）")
    first_licensed_on: date | None


class LawyerPageOut(Schema):
    total: int
    items: list[RegistryLawyerOut]


@router.get("/lawyers", response=LawyerPageOut, url_name="bureau_lawyers", summary="律师名册（管辖范围内）")
@permissions.operation(READ)
def list_lawyers(request, filters: Query[LawyerFilters]):
    qs = selectors.lawyers(request.auth, q=filters.q, status=filters.status, kind=filters.kind)
    rows = qs[filters.offset : filters.offset + filters.limit]
    items = [
        {
            "id": lw.pk,
            "licence_no": lw.licence_no,
            "name": lw.name,
            "kind": lw.kind,
            "status": lw.status,
            "organisation_id": lw.organisation_id,
            "organisation": lw.organisation.name,
            "id_number_masked": lw.id_number_masked,
            "first_licensed_on": lw.first_licensed_on,
        }
        for lw in rows
    ]
    return {"total": qs.count(), "items": items}


class FirmFilters(Schema):
    q: Search = ""
    status: one_of(["", *FirmStatus.values], "状态；空为全部") = ""  # type: ignore[valid-type]
    offset: Offset = 0
    limit: Limit = 50


class RegistryFirmOut(Schema):
    id: int
    organisation_id: int
    name: str
    credit_code: str
    form: FirmForm
    status: FirmStatus
    head: str
    supervisor: str = Field(description="主管司法行政机关")
    lawyers: int = Field(description="正常执业的律师人数")


class FirmPageOut(Schema):
    total: int
    items: list[RegistryFirmOut]


@router.get("/firms", response=FirmPageOut, url_name="bureau_firms", summary="律师事务所（管辖范围内）")
@permissions.operation(READ)
def list_firms(request, filters: Query[FirmFilters]):
    qs = selectors.firms(request.auth, q=filters.q, status=filters.status)
    items = [
        {
            "id": f.pk,
            "organisation_id": f.organisation_id,
            "name": f.organisation.name,
            "credit_code": f.credit_code,
            "form": f.form,
            "status": f.status,
            "head": f.head,
            "supervisor": f.organisation.parent.name if f.organisation.parent else "",
            "lawyers": getattr(f, "lawyer_count", 0),
        }
        for f in qs[filters.offset : filters.offset + filters.limit]
    ]
    return {"total": qs.count(), "items": items}


ExportKind = one_of(list(EXPORTS), "导出内容")


@router.get(
    "/exports",
    url_name="bureau_export",
    summary="导出 Excel（lawyers、firms、applications、complaints、reports；筛选同列表）",
    openapi_extra={
        "responses": {
            200: {
                "description": "Excel 工作簿",
                "content": {CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
@permissions.operation(READ)
def export(
    request,
    of: ExportKind,  # type: ignore[valid-type]
    q: Search = "",
    status: Annotated[str, Field(max_length=20)] = "",
    period: Annotated[str, Field(max_length=7)] = "",
) -> HttpResponse:
    data, name = exports.export_workbook(
        actor=Actor.of(request), kind=of, filters={"q": q, "status": status, "period": period}
    )
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
