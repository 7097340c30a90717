"""The inbox in the JSON API. Users see and change only their own notifications."""

from datetime import datetime

from ninja import Query, Router, Schema
from pydantic import Field

from lvshi.core.api import Id, Limit, Offset
from lvshi.orgs import permissions

from . import selectors, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    count: int
    unread: int
    limit: int
    offset: int
    items: list[NotificationOut]


class ListParams(Schema):
    unread: bool = Field(False, description="只返回未读消息")
    limit: Limit = 20
    offset: Offset = 0


class MarkedOut(Schema):
    marked: int


@router.get("", response=NotificationPage, url_name="notifications", summary="我的消息（分页，最新在前）")
@permissions.operation(permissions.SIGNED_IN)
def list_notifications(request, params: Query[ListParams]):
    qs = selectors.notifications_for(request.auth, unread_only=params.unread)
    return {
        "count": qs.count(),
        "unread": selectors.unread_count(request.auth),
        "limit": params.limit,
        "offset": params.offset,
        "items": list(qs[params.offset : params.offset + params.limit]),
    }


@router.post("/read-all", response=MarkedOut, url_name="notifications_read_all", summary="全部标为已读")
@permissions.operation(permissions.SIGNED_IN)
def read_all(request):
    return {"marked": services.notification_mark_all_read(user=request.auth)}


@router.post("/{int:notification_id}/read", response=NotificationOut, url_name="notification_read", summary="标为已读")
@permissions.operation(permissions.SIGNED_IN)
def read_one(request, notification_id: Id):
    return services.notification_mark_read(user=request.auth, notification_id=notification_id)
