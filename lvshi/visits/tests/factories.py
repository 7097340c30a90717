"""Factories for meetings: a centre's settings and rooms, detainees, cases,
active bindings."""

import itertools
from datetime import date

from lvshi.visits.models import Binding, BindingStatus, Case, CaseDefendant, CentreConfig, Detainee, Room, RoomKind

_serial = itertools.count(1)


def make_centre(organisation, *, rooms: int = 2, video_rooms: int = 0, **config) -> CentreConfig:
    centre = CentreConfig(organisation=organisation, **config)
    centre.full_clean()
    centre.save()
    for i in range(rooms):
        Room.objects.create(centre=organisation, name=f"会见室{i + 1}", kind=RoomKind.IN_PERSON)
    for i in range(video_rooms):
        Room.objects.create(centre=organisation, name=f"视频室{i + 1}", kind=RoomKind.VIDEO)
    return centre


def make_detainee(centre, **extra) -> Detainee:
    n = next(_serial)
    values = {
        "name": f"在押人员{n}",
        "gender": "male",
        "birth_date": date(1980, 1, 1),
        "centre_number": f"J{n:05d}",
        **extra,
    }
    return Detainee.objects.create(centre=centre, **values)


def make_case(centre, *detainees) -> Case:
    case = Case.objects.create(centre=centre, number=f"沪刑初{next(_serial)}号")
    for detainee in detainees:
        CaseDefendant.objects.create(case=case, detainee=detainee)
    return case


def bind(lawyer, detainee, *, seat: int = 1) -> Binding:
    """An active binding written straight to the table (the rules are tested
    through ``binding_create``)."""
    return Binding.objects.create(lawyer=lawyer, detainee=detainee, seat=seat, status=BindingStatus.ACTIVE)


def make_lawyer(firm):
    from tests.factories import MembershipFactory, UserFactory, make_licence_no

    lawyer = UserFactory(licence_no=make_licence_no(), licence_status="verified")
    MembershipFactory(user=lawyer, organisation=firm, role="lawyer")
    return lawyer
