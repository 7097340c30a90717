"""Reads for meetings: availability, a lawyer's bindings and bookings."""

from __future__ import annotations

from datetime import date, time

from django.db.models import Count, Q, QuerySet

from lvshi.calendar.workdays import today
from lvshi.orgs.models import Organisation

from .models import (
    CENTRE_KINDS,
    Binding,
    BindingStatus,
    Booking,
    BookingStatus,
    CentreConfig,
    RoomKind,
    SlotLoad,
)

_COUNTS_ATTR = "_lvshi_visit_counts"


def centres() -> QuerySet[CentreConfig]:
    """Centres that take bookings, with their organisation."""
    return (
        CentreConfig.objects.filter(organisation__kind__in=CENTRE_KINDS, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def config_with_rooms(centre: Organisation | int) -> CentreConfig | None:
    """The centre's configuration with its active rooms counted per kind, in one query."""
    centre_id = centre.pk if isinstance(centre, Organisation) else centre
    rooms = "organisation__rooms"
    return (
        CentreConfig.objects.filter(organisation_id=centre_id)
        .select_related("organisation")
        .annotate(
            in_person_rooms=Count(
                rooms, filter=Q(**{f"{rooms}__active": True, f"{rooms}__kind": RoomKind.IN_PERSON}), distinct=True
            ),
            video_rooms=Count(
                rooms, filter=Q(**{f"{rooms}__active": True, f"{rooms}__kind": RoomKind.VIDEO}), distinct=True
            ),
            in_person_reserved=Count(
                rooms,
                filter=Q(
                    **{f"{rooms}__active": True, f"{rooms}__kind": RoomKind.IN_PERSON, f"{rooms}__legal_aid_only": True}
                ),
                distinct=True,
            ),
            video_reserved=Count(
                rooms,
                filter=Q(
                    **{f"{rooms}__active": True, f"{rooms}__kind": RoomKind.VIDEO, f"{rooms}__legal_aid_only": True}
                ),
                distinct=True,
            ),
        )
        .first()
    )


def room_capacity(config: CentreConfig, kind: str) -> int:
    return config.in_person_rooms if kind == RoomKind.IN_PERSON else config.video_rooms


def reserved_rooms(config: CentreConfig, kind: str) -> int:
    """Active rooms of *kind* only legal-aid bookings may take."""
    return config.in_person_reserved if kind == RoomKind.IN_PERSON else config.video_reserved


def availability(centre: Organisation | int, day: date, *, config: CentreConfig | None = None) -> list[dict]:
    """Every slot of *day* at *centre* for each room kind the centre has:
    start, end, kind, capacity and free. Two queries whatever the number of
    bookings (one when *config* comes from :func:`config_with_rooms`); no
    personal data. Whether the day is open is the calendar's question."""
    if config is None:
        config = config_with_rooms(centre)
    if config is None:
        return []
    loads = {
        (row.start, row.room_kind): row
        for row in SlotLoad.objects.filter(centre_id=config.organisation_id, date=day).only(
            "start", "room_kind", "capacity", "taken"
        )
    }
    result = []
    for start, end in config.slots():
        for kind in RoomKind.values:
            rooms = room_capacity(config, kind)
            load = loads.get((start, kind))
            if load is None and rooms == 0:
                continue
            capacity = load.capacity if load is not None else rooms
            taken = load.taken if load is not None else 0
            result.append(
                {"start": start, "end": end, "kind": kind, "capacity": capacity, "free": max(capacity - taken, 0)}
            )
    return result


def slot_end(config: CentreConfig, start: time) -> time | None:
    return next((end for s, end in config.slots() if s == start), None)


def active_bindings(lawyer) -> QuerySet[Binding]:
    return (
        Binding.objects.filter(lawyer=lawyer, status=BindingStatus.ACTIVE)
        .select_related("detainee", "detainee__centre", "case")
        .order_by("detainee__centre__name", "detainee__name", "pk")
    )


def bookings_for(lawyer, *, status: str | None = None) -> QuerySet[Booking]:
    qs = Booking.objects.filter(lawyer=lawyer).select_related("detainee", "centre")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-date", "-start", "-pk")


def lawyer_counts(user) -> dict[str, int]:
    """The lawyer's home counters in one query, remembered on *user* for the
    request: under review, approved and still ahead, failed (rejected)."""
    cached = getattr(user, _COUNTS_ATTR, None)
    if cached is None:
        cached = Booking.objects.filter(lawyer=user).aggregate(
            review=Count("pk", filter=Q(status=BookingStatus.UNDER_REVIEW)),
            upcoming=Count("pk", filter=Q(status=BookingStatus.APPROVED, date__gte=today())),
            failed=Count("pk", filter=Q(status=BookingStatus.REJECTED)),
        )
        setattr(user, _COUNTS_ATTR, cached)
    return cached
