"""The calendar in the JSON API (``/api/v1/calendar/``): the private feed link."""

from datetime import datetime

from ninja import Router, Schema, Status

from lvshi.core.actor import Actor
from lvshi.orgs import permissions

from . import feeds

router = Router(tags=["calendar"])


class FeedTokenOut(Schema):
    url: str
    created_at: datetime


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
