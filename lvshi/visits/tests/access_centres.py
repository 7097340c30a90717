"""Access rules of the centres' pages and API: rooms and patterns, detainees
and cases, the day board, the authority's centres (see tests/access.py)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.access import API_TOKEN, LOGIN, Access, Kwargs


def _centre(attr: str, *, open_: bool = False, key: str = "centre_id") -> Kwargs:
    def make(world):
        organisation = getattr(world, attr)
        if open_:
            from lvshi.visits.models import CentreConfig

            CentreConfig.objects.get_or_create(organisation=organisation)
        return {key: organisation.pk}

    return make


def _room(attr: str) -> Kwargs:
    def make(world):
        from lvshi.visits.models import CentreConfig, Room

        organisation = getattr(world, attr)
        CentreConfig.objects.get_or_create(organisation=organisation)
        return {"room_id": Room.objects.create(centre=organisation, name=f"会见室{organisation.pk}").pk}

    return make


def _extra(attr: str) -> Kwargs:
    def make(world):
        from lvshi.visits.models import CentreConfig, ExtraSession

        organisation = getattr(world, attr)
        CentreConfig.objects.get_or_create(organisation=organisation)
        session = ExtraSession.objects.create(
            centre=organisation, date=timezone.localdate() + timedelta(days=20), start="18:00", end="19:00"
        )
        return {"session_id": session.pk}

    return make


def _detainee(attr: str) -> Kwargs:
    def make(world):
        from lvshi.visits.tests.factories import make_detainee

        return {"detainee_id": make_detainee(getattr(world, attr)).pk}

    return make


def _case(attr: str) -> Kwargs:
    def make(world):
        from lvshi.visits.tests.factories import make_case, make_detainee

        centre = getattr(world, attr)
        return {"case_id": make_case(centre, make_detainee(centre)).pk}

    return make


def _approved_today(attr: str, lawyer_attr: str) -> Kwargs:
    """An approved booking of today (check-in answers either way; the row
    exists in the officer's scope)."""

    def make(world):
        from datetime import time

        from lvshi.calendar.workdays import local_date
        from lvshi.visits.models import Booking
        from lvshi.visits.tests.factories import bind, make_detainee

        detainee = make_detainee(getattr(world, attr))
        lawyer = getattr(world, lawyer_attr)
        bind(lawyer, detainee)
        booking = Booking.objects.create(
            lawyer=lawyer,
            detainee=detainee,
            centre=detainee.centre,
            date=local_date(timezone.now()),
            start=time(0, 0),
            end=time(23, 59),
            status="approved",
            submitted_at=timezone.now(),
        )
        return {"booking_id": booking.pk}

    return make


_officer_object = {"persona": "officer", "denied": ("lawyer", "other_officer", "judge")}
_detainee_object = {"persona": "officer", "denied": ("lawyer", "other_officer", "authority_officer", "judge")}

PAGES = {
    "visits:centres": Access(LOGIN, denied=("lawyer", "officer", "judge")),
    "visits:my_centre": Access(LOGIN, denied=("lawyer", "judge", "bureau_clerk")),
    "visits:centre_settings": Access(LOGIN, mine=_centre("centre"), theirs=_centre("other_centre"), **_officer_object),
    "visits:room_create": Access(
        LOGIN, method="post", mine=_centre("centre", open_=True), theirs=_centre("other_centre"), **_officer_object
    ),
    "visits:room_update": Access(
        LOGIN, method="post", mine=_room("centre"), theirs=_room("other_centre"), **_officer_object
    ),
    "visits:extra_session_create": Access(
        LOGIN, method="post", mine=_centre("centre", open_=True), theirs=_centre("other_centre"), **_officer_object
    ),
    "visits:extra_session_delete": Access(
        LOGIN, method="post", mine=_extra("centre"), theirs=_extra("other_centre"), **_officer_object
    ),
    "visits:detainees": Access(LOGIN, denied=("lawyer", "authority_officer", "judge")),
    "visits:detainee_detail": Access(
        LOGIN, mine=_detainee("centre"), theirs=_detainee("other_centre"), **_detainee_object
    ),
    "visits:detainee_leave": Access(
        LOGIN, mine=_detainee("centre"), theirs=_detainee("other_centre"), **_detainee_object
    ),
    "visits:cases": Access(LOGIN, denied=("lawyer", "authority_officer", "judge")),
    "visits:case_detail": Access(LOGIN, mine=_case("centre"), theirs=_case("other_centre"), **_detainee_object),
    "visits:board": Access(LOGIN, denied=("lawyer", "authority_officer", "judge")),
    "visits:board_check_in": Access(
        LOGIN,
        method="post",
        mine=_approved_today("centre", "lawyer"),
        theirs=_approved_today("other_centre", "other_lawyer"),
        **_detainee_object,
    ),
}


def _future(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


API = {
    "GET /api/v1/visits/centres/{centre_id}/settings": Access(
        API_TOKEN, mine=_centre("centre"), theirs=_centre("other_centre"), **_officer_object
    ),
    "PUT /api/v1/visits/centres/{centre_id}/settings": Access(
        API_TOKEN,
        mine=_centre("centre"),
        theirs=_centre("other_centre"),
        body=lambda world: {"latest_days": 12},
        **_officer_object,
    ),
    "GET /api/v1/visits/centres/{centre_id}/rooms": Access(
        API_TOKEN, mine=_centre("centre"), theirs=_centre("other_centre"), **_officer_object
    ),
    "POST /api/v1/visits/centres/{centre_id}/rooms": Access(
        API_TOKEN,
        mine=_centre("centre", open_=True),
        theirs=_centre("other_centre", open_=True),
        body=lambda world: {"name": "新会见室", "kind": "in_person"},
        **_officer_object,
    ),
    "PATCH /api/v1/visits/rooms/{room_id}": Access(
        API_TOKEN,
        mine=_room("centre"),
        theirs=_room("other_centre"),
        body=lambda world: {"name": "改名会见室"},
        **_officer_object,
    ),
    "GET /api/v1/visits/centres/{centre_id}/extra-sessions": Access(
        API_TOKEN, mine=_centre("centre"), theirs=_centre("other_centre"), **_officer_object
    ),
    "POST /api/v1/visits/centres/{centre_id}/extra-sessions": Access(
        API_TOKEN,
        mine=_centre("centre", open_=True),
        theirs=_centre("other_centre", open_=True),
        body=lambda world: {"date": _future(21), "start": "18:00", "end": "19:00"},
        **_officer_object,
    ),
    "DELETE /api/v1/visits/extra-sessions/{session_id}": Access(
        API_TOKEN, mine=_extra("centre"), theirs=_extra("other_centre"), **_officer_object
    ),
    "GET /api/v1/visits/board": Access(API_TOKEN, denied=("lawyer", "authority_officer", "judge")),
    "GET /api/v1/visits/detainees": Access(API_TOKEN, denied=("lawyer", "authority_officer", "judge")),
    "POST /api/v1/visits/detainees": Access(
        API_TOKEN,
        body=lambda world: {"name": "张三", "gender": "male", "birth_date": "1980-01-01", "centre_number": "A0001"},
        denied=("lawyer", "authority_officer", "judge"),
    ),
    "GET /api/v1/visits/detainees/{detainee_id}": Access(
        API_TOKEN, mine=_detainee("centre"), theirs=_detainee("other_centre"), **_detainee_object
    ),
    "PATCH /api/v1/visits/detainees/{detainee_id}": Access(
        API_TOKEN,
        mine=_detainee("centre"),
        theirs=_detainee("other_centre"),
        body=lambda world: {"name": "李四"},
        **_detainee_object,
    ),
    "POST /api/v1/visits/detainees/{detainee_id}/leave": Access(
        API_TOKEN,
        mine=_detainee("centre"),
        theirs=_detainee("other_centre"),
        body=lambda world: {"status": "released"},
        **_detainee_object,
    ),
    "GET /api/v1/visits/cases": Access(API_TOKEN, denied=("lawyer", "authority_officer", "judge")),
    "POST /api/v1/visits/cases": Access(
        API_TOKEN,
        body=lambda world: {"number": "（2026）沪0101刑初1号"},
        denied=("lawyer", "authority_officer", "judge"),
    ),
}
