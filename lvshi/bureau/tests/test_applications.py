"""Applications (A3): each business type's route, the clock across holidays
and pauses, only the competent body acts at each step, and an approval
changes the registry in its own transaction."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from lvshi.calendar.workdays import WorkCalendar
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs.models import Organisation

from .. import routes
from ..models import Application, ApplicationStatus, ApplicationStep, Business, Firm, FirmStatus, Lawyer, LawyerStatus
from ..services import applications as svc
from .factories import make_credit_code

ID_NUMBER = "440106199001010011"


def _id() -> str:
    from lvshi.accounts.identity import check_char

    return ID_NUMBER[:17] + check_char(ID_NUMBER[:17])


def new(gd, business=Business.LICENCE_CHANGE, **kwargs) -> Application:
    data = kwargs.pop("data", None)
    if data is None:
        data = {
            Business.LICENCE_CHANGE: {"kind": "part_time", "reason": "转为兼职"},
            Business.LICENCE_ISSUE: {
                "name": "赵新",
                "gender": "m",
                "id_number": _id(),
                "mobile": "13912345678",
                "kind": "full_time",
            },
            Business.ASSESSMENT: {"summary": "全年办理案件32件"},
            Business.INSPECTION: {"summary": "本所运行正常"},
            Business.FIRM_CHANGE: {"head": "王主任", "reason": "负责人变更"},
        }[business]
    organisation = kwargs.pop("organisation", gd.gz_firm_org)
    lawyer = kwargs.pop("lawyer", gd.lawyer if business in (Business.LICENCE_CHANGE, Business.ASSESSMENT) else None)
    return svc.application_create(
        actor=Actor(kwargs.pop("by", gd.firm_admin)),
        organisation=organisation,
        business_type=business,
        data=data,
        lawyer_id=lawyer.pk if lawyer else None,
        year=kwargs.pop("year", 2025),
    )


def to_province(gd, a: Application) -> Application:
    svc.application_submit(application=a, actor=Actor(gd.firm_admin))
    svc.application_receive(application=a, actor=Actor(gd.gz_clerk), originals=True)
    svc.application_forward(application=a, actor=Actor(gd.gz_clerk), opinion="符合条件，同意报送")
    svc.application_receive(application=a, actor=Actor(gd.province_clerk), originals=True)
    return a


# --- routes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("business", "levels"),
    [
        (Business.LICENCE_ISSUE, ["gz", "province"]),
        (Business.LICENCE_CHANGE, ["gz", "province"]),
        (Business.LICENCE_CANCEL, ["gz", "province"]),
        (Business.FIRM_CHANGE, ["gz", "province"]),
        (Business.FIRM_CLOSE, ["gz", "province"]),
        (Business.ASSESSMENT, ["gz_bar"]),
        (Business.INSPECTION, ["gz"]),
    ],
)
def test_each_business_type_declares_its_route(gd, business, levels):
    bodies = routes.bodies(gd.gz_firm_org, routes.ROUTES[business])
    assert bodies == [getattr(gd, level) for level in levels]


def test_an_establishment_starts_at_the_bureau_that_registers_it(gd):
    assert routes.bodies(gd.gz, routes.ROUTES[Business.FIRM_ESTABLISH]) == [gd.gz, gd.province]


def test_a_route_without_its_body_is_refused_before_anything_is_saved(gd):
    lonely = Organisation.objects.create(name="某独立所", kind="law_firm", region_code="440100", region_name="广州市")
    with pytest.raises(DomainError) as refused:
        routes.bodies(lonely, routes.ROUTES[Business.LICENCE_CHANGE])
    assert refused.value.code == "no_competent_body"


# --- the clock -----------------------------------------------------------------------------

CAL = WorkCalendar(None)


def test_the_clock_counts_working_days_across_national_day_and_pauses_while_returned(gd, monkeypatch):
    a = new(gd)
    days = iter([date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 9), date(2026, 10, 20), date(2026, 10, 21)])
    monkeypatch.setattr(svc, "_today", lambda: next(days))
    svc.application_submit(application=a, actor=Actor(gd.firm_admin))  # 9-29: five working days to receive
    assert a.due_on == date(2026, 10, 12)  # 9-30, 10-8, 10-9, 10-10 (make-up Saturday), 10-12
    svc.application_receive(application=a, actor=Actor(gd.gz_clerk), originals=False)  # 9-30
    assert a.due_on == date(2026, 11, 3)  # 20 working days: the holiday 10-1..10-7 does not count
    clock = routes.clock(a, today=date(2026, 10, 9), cal=CAL)
    assert (clock.used, clock.left, clock.overdue) == (2, 18, False)  # 10-8 and 10-9
    svc.application_return(application=a, actor=Actor(gd.gz_clerk), code="incomplete", reason="缺少执业证复印件")
    assert (a.clock_used, a.due_on, a.clock_since) == (2, None, None)
    paused = routes.clock(a, today=date(2026, 12, 31), cal=CAL)
    assert paused.paused and paused.used == 2  # months with the firm cost the body nothing
    svc.application_submit(application=a, actor=Actor(gd.firm_admin))  # 10-20, back to the same body
    assert (a.body, a.step) == (gd.gz, 0)
    svc.application_receive(application=a, actor=Actor(gd.gz_clerk), originals=True)  # 10-21
    assert a.due_on == date(2026, 11, 16)  # the 18 days left, from 10-21
    late = routes.clock(a, today=date(2026, 11, 17), cal=CAL)
    assert late.overdue and late.used == 21


def test_a_forwarded_application_starts_the_next_steps_clock(gd, monkeypatch):
    a = new(gd)
    monkeypatch.setattr(svc, "_today", lambda: date(2026, 11, 2))
    to_province(gd, a)
    assert (a.step, a.body, a.clock_used) == (1, gd.province, 0)
    assert a.due_on == CAL.add_working_days(date(2026, 11, 2), 10)  # the province's 10 days


# --- who acts ------------------------------------------------------------------------------


def test_the_whole_route_of_a_licence_change_reaches_the_registry(gd):
    a = to_province(gd, new(gd))
    svc.application_approve(application=a, actor=Actor(gd.province_clerk), opinion="准予变更")
    assert a.status == ApplicationStatus.APPROVED
    lawyer = Lawyer.objects.get(pk=gd.lawyer.pk)
    assert lawyer.kind == "part_time"
    change = lawyer.changes.get(field="kind")
    assert (change.before, change.after, change.cause, change.reference) == (
        "full_time",
        "part_time",
        "application",
        a.number,
    )
    steps = list(ApplicationStep.objects.filter(application=a).values_list("action", "body__name", "originals"))
    assert steps == [
        ("submit", "广州甲律师事务所", False),
        ("receive", "广州市司法局", True),
        ("forward", "广州市司法局", False),
        ("receive", "广东省司法厅", True),
        ("approve", "广东省司法厅", False),
    ]


def test_a_licence_issued_and_a_firm_closed_take_effect_on_approval(gd):
    a = to_province(gd, new(gd, Business.LICENCE_ISSUE))
    svc.application_approve(application=a, actor=Actor(gd.province_clerk), opinion="准予执业")
    issued = Lawyer.objects.get(name="赵新")
    assert issued.status == LawyerStatus.PRACTISING and issued.organisation == gd.gz_firm_org
    assert len(issued.licence_no) == 17 and issued.licence_no.startswith("14401")
    assert issued.id_number == _id() and issued.id_number_masked.startswith("4401")

    Lawyer.objects.filter(organisation=gd.gz_other_org).delete()
    close = svc.application_create(
        actor=Actor(gd.other_firm_admin),
        organisation=gd.gz_other_org,
        business_type=Business.FIRM_CLOSE,
        data={"reason": "合伙人决议解散"},
    )
    svc.application_submit(application=close, actor=Actor(gd.other_firm_admin))
    svc.application_receive(application=close, actor=Actor(gd.gz_clerk), originals=True)
    svc.application_forward(application=close, actor=Actor(gd.gz_clerk), opinion="同意")
    svc.application_receive(application=close, actor=Actor(gd.province_clerk), originals=True)
    svc.application_approve(application=close, actor=Actor(gd.province_clerk), opinion="准予注销")
    assert Firm.objects.get(pk=gd.gz_other.pk).status == FirmStatus.CLOSED


def test_an_approval_that_cannot_take_effect_changes_nothing(gd):
    a = to_province(gd, new(gd, Business.FIRM_CLOSE, data={"reason": "解散"}))  # the firm still has lawyers
    with pytest.raises(DomainError) as refused:
        svc.application_approve(application=a, actor=Actor(gd.province_clerk), opinion="准予注销")
    assert refused.value.code == "firm_has_lawyers"
    a.refresh_from_db()
    assert a.status == ApplicationStatus.RECEIVED and a.decided_at is None
    assert not ApplicationStep.objects.filter(application=a, action="approve").exists()
    assert Firm.objects.get(pk=gd.gz_firm.pk).status == FirmStatus.PRACTISING


def test_a_licence_number_taken_meanwhile_refuses_the_approval_and_changes_nothing(gd, monkeypatch):
    from ..services import effects

    a = to_province(gd, new(gd, Business.LICENCE_ISSUE))
    monkeypatch.setattr(effects, "_licence_no", lambda region, kind: gd.lawyer2.licence_no)
    with pytest.raises(DomainError) as refused:
        svc.application_approve(application=a, actor=Actor(gd.province_clerk), opinion="准予执业")
    assert refused.value.code == "registry_conflict"
    a.refresh_from_db()
    assert a.status == ApplicationStatus.RECEIVED and not Lawyer.objects.filter(name="赵新").exists()
    assert not ApplicationStep.objects.filter(application=a, action="approve").exists()


def test_a_firm_establishment_registered_by_the_city_bureau_creates_the_firm(gd):
    code = make_credit_code()
    data = {
        "name": "广州新设律师事务所",
        "credit_code": code,
        "form": "partnership",
        "head": "周主任",
        "address": "广州市天河区某路1号",
    }
    a = new(gd, Business.FIRM_ESTABLISH, organisation=gd.gz, by=gd.gz_clerk, data=data)
    svc.application_submit(application=a, actor=Actor(gd.gz_clerk))
    svc.application_receive(application=a, actor=Actor(gd.gz_clerk), originals=True)
    svc.application_forward(application=a, actor=Actor(gd.gz_clerk), opinion="同意设立")
    svc.application_receive(application=a, actor=Actor(gd.province_clerk), originals=True)
    svc.application_approve(application=a, actor=Actor(gd.province_clerk), opinion="准予设立")
    firm = Firm.objects.get(credit_code=code)
    assert firm.organisation.parent == gd.gz and firm.organisation.name == "广州新设律师事务所"


def test_a_one_step_business_is_decided_by_its_body_and_cannot_be_forwarded(gd):
    a = new(gd, Business.ASSESSMENT)
    svc.application_submit(application=a, actor=Actor(gd.firm_admin))
    assert a.body == gd.gz_bar
    with pytest.raises(DomainError):  # the city bureau is not this step's body
        svc.application_receive(application=a, actor=Actor(gd.gz_clerk), originals=True)
    svc.application_receive(application=a, actor=Actor(gd.gz_bar_staff), originals=True)
    with pytest.raises(DomainError) as refused:
        svc.application_forward(application=a, actor=Actor(gd.gz_bar_staff), opinion="同意")
    assert refused.value.code == "decide_here"
    svc.application_approve(application=a, actor=Actor(gd.gz_bar_staff), opinion="考核称职")
    assert a.status == ApplicationStatus.APPROVED


def test_the_city_cannot_decide_what_the_province_decides(gd):
    a = new(gd)
    svc.application_submit(application=a, actor=Actor(gd.firm_admin))
    svc.application_receive(application=a, actor=Actor(gd.gz_clerk), originals=True)
    with pytest.raises(DomainError) as refused:
        svc.application_approve(application=a, actor=Actor(gd.gz_clerk), opinion="同意")
    assert refused.value.code == "forward_first"


def test_one_open_application_of_a_kind_per_lawyer(gd):
    new(gd)
    with pytest.raises(DomainError) as refused:
        new(gd)
    assert refused.value.code == "application_open"


def test_bad_form_data_is_refused_with_the_field(gd):
    with pytest.raises(DomainError) as refused:
        new(
            gd,
            Business.LICENCE_ISSUE,
            data={
                "name": "赵新",
                "gender": "m",
                "id_number": "440106199001010012",
                "mobile": "13912345678",
                "kind": "full_time",
            },
        )
    assert refused.value.details == {"field": "id_number"}
    with pytest.raises(DomainError) as refused:
        new(gd, data={"reason": "无变更"})
    assert refused.value.code == "nothing_changed"
    assert not Application.objects.exists()


STEP_URLS = ["receive", "forward", "approve", "return", "refuse"]


@pytest.mark.parametrize("step", STEP_URLS)
def test_only_the_competent_body_acts_404_outside_403_inside(gd, login, client, api, step):
    a = new(gd)
    svc.application_submit(application=a, actor=Actor(gd.firm_admin))
    if step != "receive":
        svc.application_receive(application=a, actor=Actor(gd.gz_clerk), originals=True)
    url = reverse("bureau:application_step", args=[a.pk, step])
    api_url = f"/api/v1/bureau/applications/{a.pk}/{step}"
    body = {"receive": {}, "return": {"code": "other", "reason": "x"}}.get(step, {"opinion": "同意"})
    for user, status in [
        (gd.sz_clerk, 404),  # another city: not within reach
        (gd.other_firm_admin, 404),  # another firm
        (gd.gz_auditor, 403),  # no role of lawyer administration at all: the rule refuses first
        (gd.province_clerk, 403),  # within reach, but not this step's body
        (gd.gz_bar_staff, 403),  # the bar association reads the city's applications
        (gd.firm_admin, 403),  # the applicant reads it
    ]:
        login(user)
        assert client.post(url, {"opinion": "同意", "code": "other", "reason": "x"}).status_code == status, user.name
        response = client.post(api_url, body, content_type="application/json", **api(user))
        assert response.status_code == status, (user.name, response.content)
    a.refresh_from_db()
    assert a.status == (ApplicationStatus.SUBMITTED if step == "receive" else ApplicationStatus.RECEIVED)


# --- races -----------------------------------------------------------------------------------


def _decide_at_once(gd, a: Application) -> list[str]:
    from tests.threads import run_at_once

    turns = iter(["approve", "return"] * 4)

    def decide():
        what = next(turns)
        try:
            fresh = Application.objects.get(pk=a.pk)
            if what == "approve":
                svc.application_approve(application=fresh, actor=Actor(gd.province_clerk), opinion="准予变更")
            else:
                svc.application_return(application=fresh, actor=Actor(gd.province_clerk), code="other", reason="补正")
            return what
        except DomainError as exc:
            return exc.code

    return run_at_once(decide, 2)


def test_an_approval_and_a_return_at_once_one_wins_and_nothing_is_half_applied(transactional_db, gd):
    # Control: one after the other, the second is refused as the application has moved on.
    control = to_province(gd, new(gd))
    svc.application_return(application=control, actor=Actor(gd.province_clerk), code="other", reason="补正")
    with pytest.raises(DomainError) as late:
        svc.application_approve(
            application=Application.objects.get(pk=control.pk), actor=Actor(gd.province_clerk), opinion="准予变更"
        )
    assert late.value.code == "wrong_status"
    svc.application_withdraw(application=Application.objects.get(pk=control.pk), actor=Actor(gd.firm_admin))

    for _round in range(3):
        Lawyer.objects.filter(pk=gd.lawyer.pk).update(kind="full_time")
        a = to_province(gd, new(gd))
        outcome = sorted(_decide_at_once(gd, a))
        a.refresh_from_db()
        approved = Lawyer.objects.get(pk=gd.lawyer.pk).kind == "part_time"
        if "approve" in outcome:
            assert outcome == ["approve", "wrong_status"]
            assert a.status == ApplicationStatus.APPROVED and approved
            assert a.steps.filter(action="approve").count() == 1 and not a.steps.filter(action="return").exists()
        else:
            assert outcome == ["return", "wrong_status"]
            assert a.status == ApplicationStatus.RETURNED and not approved and a.decided_at is None
            assert not a.steps.filter(action="approve").exists() and not gd.lawyer.changes.exists()
            svc.application_withdraw(application=a, actor=Actor(gd.firm_admin))
        gd.lawyer.changes.all().delete()
