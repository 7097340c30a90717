"""The calendar in the JSON API (``/api/v1/calendar/``): the lawyer's schedule
and the private feed link."""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from lvshi.core.actor import Actor
from lvshi.orgs import permissions

from . import feeds

router = Router(tags=["calendar"])


class FeedTokenOut(Schema):
    url: str
    created_at: datetime


class ScheduleEventOut(Schema):
    uid: str = Field(description="稳定的日程标识，与日历订阅中的 UID 相同")
    summary: str = Field(description="日程标题，如“会见 张三”")
    start: datetime = Field(description="开始时间（含时区，Asia/Shanghai）")
    end: datetime = Field(description="结束时间（含时区，Asia/Shanghai）")
    status: Literal["CONFIRMED", "TENTATIVE"] = Field(description="CONFIRMED 已确认；TENTATIVE 审核中")
    location: str = Field(description="地点：机构名称和地址")
    description: str = Field(description="说明：会见方式和预约状态")


class ScheduleQuery(Schema):
    past: bool = Field(False, description="true：过去30天（最近的在前）；默认：今天及以后")


@router.get(
    "/events",
    response=list[ScheduleEventOut],
    url_name="calendar_events",
    summary="我的日程：今天及以后（或过去30天）的会见安排，与日历订阅的内容相同",
)
@permissions.operation("calendar.view_schedule")
def schedule_events(request, query: Query[ScheduleQuery]):
    return feeds.schedule(request.auth, past=query.past)


@router.post(
    "/feed-token",
    response={201: FeedTokenOut},
    url_name="calendar_feed_token",
    summary="生成或重置日历订阅链接（只返回一次，原链接失效）",
)
@permissions.operation(permissions.SIGNED_IN)
def create_feed_token(request):
    raw = feeds.feed_token_reset(actor=Actor.of(request, user=request.auth))
    token = feeds.feed_token_of(request.auth)
    created_at = token.created_at if token is not None else None
    return Status(201, {"url": request.build_absolute_uri(feeds.feed_path(raw)), "created_at": created_at})


@router.delete(
    "/feed-token",
    response={204: None},
    url_name="calendar_feed_token_delete",
    summary="停止日历订阅（原链接失效）",
)
@permissions.operation(permissions.SIGNED_IN)
def delete_feed_token(request):
    feeds.feed_token_delete(actor=Actor.of(request, user=request.auth))
    return Status(204, None)
