"""The authority's meeting statistics in the JSON API."""

from __future__ import annotations

import datetime as dt
from datetime import date

from ninja import Field, Query, Router, Schema

from lvshi.core.api import Id, IsoDate
from lvshi.orgs import permissions

from ..selectors import stats

router = Router()


class StatsParams(Schema):
    from_: IsoDate | None = Field(None, alias="from", description="开始日期（默认结束日期前 29 天）")
    to: IsoDate | None = Field(None, description="结束日期（默认今天）；范围最多 366 天")
    centre: Id | None = Field(None, description="机构编号；不填为管辖范围内全部机构")


class StatRowOut(Schema):
    centre_id: int
    centre: str
    date: dt.date | None = None
    submitted: int = Field(description="当天提交的预约")
    approved: int = Field(description="审核通过（含已会见和未到）")
    rejected: int
    cancelled: int
    completed: int
    no_show: int
    violations: int
    taken: int = Field(description="已约会见室（时段×间）")
    capacity: int = Field(description="会见室容量（时段×间）")
    utilisation: float | None


class StatsOut(Schema):
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    centre_id: int | None
    rows: list[StatRowOut]
    centres: list[StatRowOut]
    total: StatRowOut


@router.get(
    "/stats",
    response=StatsOut,
    by_alias=True,
    url_name="visit_stats",
    summary="会见统计：按机构和日期（监所管理民警，最多 366 天）",
)
@permissions.operation(permissions.SIGNED_IN)
def statistics(request, params: Query[StatsParams]):
    stats.require_statistics(request.auth)
    start, end = stats.date_range(
        params.from_, params.to, max_days=stats.STATS_MAX_DAYS, default_days=stats.STATS_DEFAULT_DAYS
    )
    result = stats.statistics(request.auth, start=start, end=end, centre_id=params.centre)
    return {
        "from": result.start,
        "to": result.end,
        "centre_id": result.centre_id,
        "rows": result.rows,
        "centres": result.centres,
        "total": result.total,
    }
