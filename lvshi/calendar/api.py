"""The calendar in the JSON API (``/api/v1/calendar/``): the lawyer's schedule
and the private feed link."""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from lvshi.core.actor import Actor
from lvshi.core.api import Id, IsoDateTime
from lvshi.orgs import permissions

from . import access, feeds, schedule, selectors

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


# --- the schedule: entries and every item with its conflicts (C1) ------------------------------

schedule_router = Router(tags=["schedule"])


class EntryIn(Schema):
    start: IsoDateTime
    end: IsoDateTime
    text: str = Field(max_length=200)
    can_attend: bool = Field(False, description="该时段能否出庭（不能出庭的，法院排期时会看到冲突）")
    region_code: str = Field("", max_length=6, description="所在地区的行政区划代码（用于计算路程时间）")


class EntryOut(Schema):
    id: int
    start: datetime
    end: datetime
    text: str
    can_attend: bool
    region_code: str


def _entry_out(e) -> dict:
    return {
        "id": e.pk,
        "start": e.start,
        "end": e.end,
        "text": e.text,
        "can_attend": e.can_attend,
        "region_code": e.region_code,
    }


class EntryQuery(Schema):
    past: bool = Field(False, description="true：包括已结束的")


@schedule_router.get("/entries", response=list[EntryOut], url_name="schedule_entries", summary="我的个人日程")
@permissions.operation("calendar.view_schedule")
def list_entries(request, query: Query[EntryQuery]):
    return [_entry_out(e) for e in selectors.entries_of(request.auth, past=query.past)[:500]]


@schedule_router.post("/entries", response={201: EntryOut}, url_name="schedule_entry_create", summary="新增个人日程")
@permissions.operation("calendar.view_schedule")
def create_entry(request, body: EntryIn):
    entry = schedule.entry_create(actor=Actor.of(request), **body.model_dump())
    return Status(201, _entry_out(entry))


@schedule_router.put(
    "/entries/{int:entry_id}", response=EntryOut, url_name="schedule_entry_update", summary="修改个人日程"
)
@permissions.operation("calendar.view_schedule")
def update_entry(request, entry_id: Id, body: EntryIn):
    entry = access.own_entry_or_404(request.auth, entry_id)
    return _entry_out(schedule.entry_update(entry=entry, actor=Actor.of(request), **body.model_dump()))


@schedule_router.delete(
    "/entries/{int:entry_id}", response={204: None}, url_name="schedule_entry_delete", summary="删除个人日程"
)
@permissions.operation("calendar.view_schedule")
def delete_entry(request, entry_id: Id):
    schedule.entry_delete(entry=access.own_entry_or_404(request.auth, entry_id), actor=Actor.of(request))
    return Status(204, None)


class ScheduleRange(Schema):
    from_: IsoDateTime = Field(alias="from", description="开始时间（ISO 8601）")
    to: IsoDateTime = Field(description="结束时间（ISO 8601），与开始相距不超过92天")


class ConflictItemOut(Schema):
    uid: str
    summary: str
    kind: str = Field(description="overlap 时间重叠；travel 路程时间不足")
    travel_minutes: int
    text: str


class ScheduleItemOut(ScheduleEventOut):
    busy: bool = Field(description="是否占用时间（能出庭的个人日程不占用）")
    conflicts: list[ConflictItemOut]


@schedule_router.get(
    "", response=list[ScheduleItemOut], url_name="schedule", summary="我的日程：会见、庭审和个人日程，各项附冲突提示"
)
@permissions.operation("calendar.view_schedule")
def schedule_range(request, query: Query[ScheduleRange]):
    items = schedule.schedule_items(request.auth, query.from_, query.to)
    return [
        {
            **{
                k: getattr(i.event, k)
                for k in ("uid", "summary", "start", "end", "status", "location", "description", "busy")
            },
            "conflicts": [
                {
                    "uid": c.other.uid,
                    "summary": c.other.summary,
                    "kind": c.kind,
                    "travel_minutes": c.travel,
                    "text": c.text,
                }
                for c in i.conflicts
            ],
        }
        for i in items
    ]
