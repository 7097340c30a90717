"""Public meeting figures in the JSON API: the daily totals (no login, no
personal data)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Query, Router, Schema

from lvshi.core.api import Id, IsoDate
from lvshi.orgs import permissions

from ..selectors import stats

router = Router()


class TotalsParams(Schema):
    centre: Id | None = Field(None, description="机构编号；不填为全部机构")
    from_: IsoDate | None = Field(None, alias="from", description="开始日期（默认结束日期前 29 天）")
    to: IsoDate | None = Field(None, description="结束日期（默认今天）；范围最多 92 天")


class TotalOut(Schema):
    centre_id: int
    centre: str
    date: date
    held: int = Field(description="已会见（完成的会见）")
    booked: int = Field(description="已预约（审核通过，含已会见和未到）")


class TotalsOut(Schema):
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    totals: list[TotalOut]


@router.get(
    "/totals",
    auth=None,
    response=TotalsOut,
    by_alias=True,
    url_name="visit_totals",
    summary="每日会见总量（公开，不含个人信息）",
)
@permissions.operation(permissions.PUBLIC)
def totals(request, params: Query[TotalsParams]):
    start, end = stats.date_range(
        params.from_, params.to, max_days=stats.TOTALS_MAX_DAYS, default_days=stats.TOTALS_DEFAULT_DAYS
    )
    if params.centre is not None:
        stats.public_centre_or_404(params.centre)
    return {"from": start, "to": end, "totals": stats.daily_totals(start=start, end=end, centre_id=params.centre)}
