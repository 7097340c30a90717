"""Access rules of the violation, appeal and lock-out pages (see tests/access.py)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.access import LOGIN, Access


def violation_of(lawyer, centre):
    """A no-show violation of *lawyer* at *centre*, three days ago."""
    from lvshi.visits.models import Booking, Violation

    from .factories import make_detainee

    day = timezone.localdate() - timedelta(days=3)
    booking = Booking.objects.create(
        lawyer=lawyer,
        detainee=make_detainee(centre),
        centre=centre,
        date=day,
        start="08:30",
        end="11:00",
        status="no_show",
        submitted_at=timezone.now(),
    )
    return Violation.objects.create(
        lawyer=lawyer, booking=booking, centre=centre, date=day, expires_on=day + timedelta(days=365)
    )


def foreign_centre():
    """A detention centre under another authority."""
    from lvshi.orgs.models import OrgKind
    from tests.factories import OrganisationFactory

    authority = OrganisationFactory(name="浙江省公安厅监所管理总队", kind=OrgKind.DETENTION_AUTHORITY)
    return OrganisationFactory(name="杭州市看守所", kind=OrgKind.DETENTION_CENTRE, parent=authority)


def _violation(lawyer_attr: str):
    return lambda world: {"violation_id": violation_of(getattr(world, lawyer_attr), world.centre).pk}


def _appeal(foreign: bool):
    def make(world):
        from lvshi.visits.models import Appeal

        violation = violation_of(world.lawyer, foreign_centre() if foreign else world.centre)
        return {"appeal_id": Appeal.objects.create(violation=violation, lawyer=world.lawyer, text="当日车辆故障").pk}

    return make


def _lock(foreign: bool):
    def make(world):
        from lvshi.visits.models import BookingLock

        today = timezone.localdate()
        lock = BookingLock.objects.create(
            lawyer=world.other_lawyer if foreign else world.lawyer,
            centre=foreign_centre() if foreign else world.centre,
            starts_on=today,
            ends_on=today + timedelta(days=180),
            reason="累计违约3次",
        )
        return {"lock_id": lock.pk}

    return make


NOT_AUTHORITY = ("lawyer", "officer", "judge", "bureau_clerk")

PAGES = {
    "visits:violations": Access(LOGIN, denied=("officer", "authority_officer", "judge", "bureau_clerk")),
    "visits:violation_appeal": Access(
        LOGIN,
        persona="lawyer",
        mine=_violation("lawyer"),
        theirs=_violation("other_lawyer"),
        denied=("officer", "authority_officer"),
    ),
    "visits:appeals": Access(LOGIN, denied=NOT_AUTHORITY),
    "visits:appeal_decide": Access(
        LOGIN,
        persona="authority_officer",
        mine=_appeal(foreign=False),
        theirs=_appeal(foreign=True),
        denied=("lawyer", "officer", "judge"),
    ),
    "visits:locks": Access(LOGIN, denied=NOT_AUTHORITY),
    "visits:lock_lift": Access(
        LOGIN,
        persona="authority_officer",
        mine=_lock(foreign=False),
        theirs=_lock(foreign=True),
        denied=("lawyer", "officer", "judge"),
    ),
}
