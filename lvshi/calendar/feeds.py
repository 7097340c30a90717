"""The private iCalendar feed of a user's schedule (X4).

A user (for now: lawyers) creates a secret link ``/calendar/feed/<token>.ics``
and subscribes to it from a phone or desktop calendar. The link needs no
login, so the token is a long random secret shown once and stored only as
its SHA-256 (:func:`lvshi.core.crypto.token_hash`); resetting replaces it and
the old link answers 404.

What the feed lists comes from *event sources*: each app registers a
function ``fn(user, window) -> iterable of FeedEvent`` with
:func:`register_source` (meetings do so in ``lvshi/visits/feed.py``; court
hearings can plug in the same way). A source should load its rows in a fixed
number of queries and keep personal data to what the owner of the link needs
(a name in the summary, never identity numbers).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from lvshi.audit.services import audit_record
from lvshi.core import crypto
from lvshi.core.actor import Actor
from lvshi.core.errors import PermissionDenied
from lvshi.orgs import scope
from lvshi.orgs.models import Role

from .models import FeedToken
from .workdays import SHANGHAI, local_date

# Who may have a feed.
FEED_ROLES = (Role.LAWYER,)
# Past events stay this long; cancelled ones are kept (as CANCELLED) this long
# after the cancellation, so subscribed calendars drop them.
PAST_DAYS = 30
CANCELLED_DAYS = 30
# last_used_at is written at most this often.
USE_STAMP_EVERY = timedelta(hours=1)

CONFIRMED, TENTATIVE, CANCELLED = "CONFIRMED", "TENTATIVE", "CANCELLED"
# SEQUENCE grows as an event moves on, so clients take the newer copy.
_SEQUENCE = {TENTATIVE: 0, CONFIRMED: 1, CANCELLED: 2}


@dataclass(frozen=True)
class Window:
    """What a source should list: events from ``since`` on, and cancelled
    ones whose cancellation is not older than ``cancelled_since``."""

    now: datetime
    since: date
    cancelled_since: datetime


@dataclass(frozen=True)
class FeedEvent:
    uid: str  # stable across fetches: "<kind>-<pk>@<app>.lvshi"
    summary: str
    start: datetime  # aware
    end: datetime  # aware
    status: str = CONFIRMED
    location: str = ""
    description: str = ""
    modified: datetime | None = None
    # Where it happens (an administrative region code, for travel times),
    # whether it keeps the person busy, and what others (a court planning a
    # hearing) may read of it instead of the summary.
    place: str = ""
    busy: bool = True
    public_summary: str = ""


Source = Callable[[object, Window], Iterable[FeedEvent]]
_sources: dict[str, Source] = {}


def register_source(name: str, fn: Source) -> None:
    """Add (or replace) the event source *name*."""
    _sources[name] = fn


def sources() -> dict[str, Source]:
    return dict(_sources)


def window(now: datetime | None = None) -> Window:
    now = now or timezone.now()
    return Window(
        now=now,
        since=local_date(now) - timedelta(days=PAST_DAYS),
        cancelled_since=now - timedelta(days=CANCELLED_DAYS),
    )


def events_for(user, *, now: datetime | None = None) -> list[FeedEvent]:
    w = window(now)
    events = [e for name in sorted(_sources) for e in _sources[name](user, w)]
    return sorted(events, key=lambda e: (e.start, e.uid))


def schedule(user, *, past: bool = False, now: datetime | None = None) -> list[FeedEvent]:
    """The page's view of the same events ("我的日程"): what still stands, from
    today on, or (``past``) of the last 30 days, the latest first."""
    now = now or timezone.now()
    today = local_date(now)
    standing = [e for e in events_for(user, now=now) if e.status != CANCELLED]
    if past:
        return [e for e in reversed(standing) if local_date(e.start) < today]
    return [e for e in standing if local_date(e.start) >= today]


def render_ics(user, *, now: datetime | None = None) -> bytes:
    """The user's feed as an iCalendar document (times in Asia/Shanghai,
    with its VTIMEZONE)."""
    now = now or timezone.now()
    cal = Calendar()
    cal.add("prodid", "-//lvshi//schedule feed//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("律师服务平台日程"))
    cal.add("x-wr-timezone", "Asia/Shanghai")
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for e in events_for(user, now=now):
        event = Event()
        event.add("uid", e.uid)
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", e.start.astimezone(SHANGHAI))
        event.add("dtend", e.end.astimezone(SHANGHAI))
        event.add("summary", e.summary)
        event.add("status", e.status)
        event.add("sequence", _SEQUENCE.get(e.status, 0))
        event.add("transp", "TRANSPARENT" if e.status == CANCELLED else "OPAQUE")
        if e.location:
            event.add("location", e.location)
        if e.description:
            event.add("description", e.description)
        if e.modified:
            event.add("last-modified", e.modified.astimezone(UTC))
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


# --- the secret link ------------------------------------------------------------------


def may_have_feed(user) -> bool:
    return scope.has_role(user, *FEED_ROLES)


def feed_path(raw: str) -> str:
    return reverse("calendar:feed", kwargs={"token": raw})


@transaction.atomic
def feed_token_reset(*, actor: Actor) -> str:
    """Create the user's feed link, or replace it (the old one stops working).
    Returns the new secret; it is not stored and cannot be shown again."""
    user = actor.user
    if not may_have_feed(user):
        raise PermissionDenied(message=_("只有执业律师可以订阅会见日程。"))
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    row = FeedToken.objects.select_for_update().filter(user=user).first()
    if row is None:
        row = FeedToken.objects.create(user=user, key_hash=crypto.token_hash(raw), created_at=now)
        action = "calendar.feed_token_create"
    else:
        row.key_hash, row.created_at, row.last_used_at = crypto.token_hash(raw), now, None
        row.save(update_fields=["key_hash", "created_at", "last_used_at"])
        action = "calendar.feed_token_reset"
    audit_record(action=action, actor=actor, obj=row, after={"created_at": now})
    return raw


@transaction.atomic
def feed_token_delete(*, actor: Actor) -> bool:
    """Stop the user's feed; True when there was one."""
    user = actor.user
    row = FeedToken.objects.filter(user=user).first()
    if row is None:
        return False
    audit_record(action="calendar.feed_token_delete", actor=actor, obj=row)
    row.delete()
    return True


def feed_token_of(user) -> FeedToken | None:
    return FeedToken.objects.filter(user=user).first()


def feed_user(raw: str, *, now: datetime | None = None):
    """The active user whose feed link *raw* is, or None."""
    if not raw or len(raw) > 100:
        return None
    row = FeedToken.objects.select_related("user").filter(key_hash=crypto.token_hash(raw), user__is_active=True).first()
    if row is None:
        return None
    now = now or timezone.now()
    if row.last_used_at is None or row.last_used_at < now - USE_STAMP_EVERY:
        FeedToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
