"""Closures: declared by an organisation, they apply to it and everything below."""

from datetime import date, timedelta

import pytest

from lvshi.audit.models import AuditEvent
from lvshi.calendar.models import Closure, DayKind
from lvshi.calendar.services import closure_create, closure_delete, day_info, is_working_day, next_working_day, today
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError, PermissionDenied

pytestmark = pytest.mark.django_db

D = date.fromisoformat


def future_workday(days_ahead=20) -> date:
    return next_working_day(today() + timedelta(days=days_ahead))


# --- the effect on the calendar ------------------------------------------------


def test_closure_of_a_centre_closes_only_that_centre(world):
    Closure.objects.create(organisation=world.centre, date=D("2025-03-12"), reason="设施检修")
    info = day_info(D("2025-03-12"), world.centre)
    assert (info.working, info.kind, info.name, info.closed_by) == (
        False,
        DayKind.CLOSURE,
        "设施检修",
        world.centre.name,
    )
    assert is_working_day(D("2025-03-12"), world.other_centre)
    assert is_working_day(D("2025-03-12"))
    assert is_working_day(D("2025-03-13"), world.centre)


def test_closure_of_an_authority_applies_to_its_centres(world):
    Closure.objects.create(organisation=world.authority, date=D("2025-03-12"), reason="全市监所安全检查")
    for org in (world.authority, world.centre, world.other_centre):
        info = day_info(D("2025-03-12"), org)
        assert info.kind == DayKind.CLOSURE and info.name == "全市监所安全检查", org
    assert is_working_day(D("2025-03-12"), world.court)
    assert is_working_day(D("2025-03-12"), world.firm)


def test_closest_closure_reason_wins(world):
    Closure.objects.create(organisation=world.authority, date=D("2025-03-12"), reason="全市检查")
    Closure.objects.create(organisation=world.centre, date=D("2025-03-12"), reason="本所检修")
    assert day_info(D("2025-03-12"), world.centre).name == "本所检修"
    assert day_info(D("2025-03-12"), world.other_centre).name == "全市检查"


def test_closure_on_a_make_up_saturday_closes_it(world):
    Closure.objects.create(organisation=world.centre, date=D("2025-10-11"), reason="设施检修")
    assert day_info(D("2025-10-11")).working is True
    assert day_info(D("2025-10-11"), world.centre).working is False


def test_next_working_day_skips_closures(world):
    Closure.objects.create(organisation=world.centre, date=D("2025-10-09"), reason="检修")
    assert next_working_day(D("2025-09-30"), world.centre) == D("2025-10-10")
    assert next_working_day(D("2025-09-30"), world.other_centre) == D("2025-10-09")


# --- declaring and withdrawing ---------------------------------------------------------


def test_officer_declares_a_closure_for_their_centre_and_it_is_audited(world):
    day = future_workday()
    closure = closure_create(actor=Actor(world.officer), organisation=world.centre, day=day, reason=" 设施检修 ")
    assert closure.reason == "设施检修" and closure.created_by == world.officer
    assert not is_working_day(day, world.centre)
    event = AuditEvent.objects.get(action="calendar.closure_create")
    assert event.actor_id == world.officer.pk
    assert event.after["reason"] == "设施检修"


def test_authority_officer_may_close_a_centre_below(world):
    closure_create(actor=Actor(world.authority_officer), organisation=world.centre, day=future_workday(), reason="检查")
    assert Closure.objects.count() == 1


@pytest.mark.parametrize("who", ["other_officer", "lawyer", "judge", "bureau_clerk"])
def test_others_may_not_close_a_centre(world, who):
    with pytest.raises(PermissionDenied):
        closure_create(actor=Actor(getattr(world, who)), organisation=world.centre, day=future_workday(), reason="检修")
    assert Closure.objects.count() == 0


def test_officer_may_not_close_the_authority_above(world):
    with pytest.raises(PermissionDenied):
        closure_create(actor=Actor(world.officer), organisation=world.authority, day=future_workday(), reason="检修")


def test_court_clerk_closes_the_court(world):
    closure_create(actor=Actor(world.clerk), organisation=world.court, day=future_workday(), reason="停电")
    assert Closure.objects.filter(organisation=world.court).exists()


@pytest.mark.parametrize(
    ("delta", "reason", "code"),
    [
        (-1, "检修", "date_in_past"),
        (800, "检修", "date_too_far"),
        (5, "   ", "reason_required"),
        (5, "长" * 201, "reason_too_long"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(world, delta, reason, code):
    with pytest.raises(DomainError) as exc:
        closure_create(
            actor=Actor(world.officer), organisation=world.centre, day=today() + timedelta(days=delta), reason=reason
        )
    assert exc.value.code == code
    assert Closure.objects.count() == 0
    assert not AuditEvent.objects.filter(action="calendar.closure_create").exists()


def test_same_day_twice_is_a_conflict(world):
    day = future_workday()
    closure_create(actor=Actor(world.officer), organisation=world.centre, day=day, reason="检修")
    with pytest.raises(Conflict):
        closure_create(actor=Actor(world.officer), organisation=world.centre, day=day, reason="又检修")
    assert Closure.objects.count() == 1


def test_withdraw_a_closure(world):
    day = future_workday()
    closure = closure_create(actor=Actor(world.officer), organisation=world.centre, day=day, reason="检修")
    closure_delete(actor=Actor(world.officer), closure=closure)
    assert Closure.objects.count() == 0
    assert is_working_day(day, world.centre)
    assert AuditEvent.objects.get(action="calendar.closure_delete").before["reason"] == "检修"


def test_past_closures_stay_on_record(world):
    closure = Closure.objects.create(organisation=world.centre, date=today() - timedelta(days=1), reason="检修")
    with pytest.raises(DomainError) as exc:
        closure_delete(actor=Actor(world.officer), closure=closure)
    assert exc.value.code == "closure_past"
    assert Closure.objects.count() == 1


def test_other_centre_officer_may_not_withdraw(world):
    closure = closure_create(actor=Actor(world.officer), organisation=world.centre, day=future_workday(), reason="检修")
    with pytest.raises(PermissionDenied):
        closure_delete(actor=Actor(world.other_officer), closure=closure)
    assert Closure.objects.count() == 1
