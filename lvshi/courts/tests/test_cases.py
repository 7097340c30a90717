"""My cases (C7): linked automatically by licence and ID number (never by
name), bound with the acceptance notice's code and password, searched."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.courts import selectors
from lvshi.courts.models import Agent, CaseLink, LinkVia
from lvshi.courts.services.cases import MAX_FAILURES, case_bind, link_agents
from tests.factories import make_id_number, make_licence_no

from .factories import court_of, direct_case


@pytest.fixture
def case(world):
    return direct_case(court_of(world), judge=world.judge, lawyers=[world.lawyer])


def test_an_agent_is_linked_by_licence_and_id_number(world, case):
    assert CaseLink.objects.get(case=case).lawyer == world.lawyer
    assert list(selectors.lawyer_cases(world.lawyer)) == [case]
    assert list(selectors.lawyer_cases(world.other_lawyer)) == []


def test_the_same_name_alone_links_nothing(world):
    court = court_of(world)
    case = direct_case(court, judge=world.judge)
    party = case.parties.first()
    # The lawyer's name and licence, another person's ID number: not the lawyer.
    agent = Agent(case=case, party=party, name=world.lawyer.name, licence_no=world.lawyer.licence_no)
    agent.set_id_number(make_id_number())
    agent.save()
    # The lawyer's name and ID number, another licence: not the lawyer either.
    other = Agent(case=case, party=party, name=world.lawyer.name, licence_no=make_licence_no())
    other.set_id_number(world.lawyer.id_number)
    other.save()
    assert link_agents(case) == []
    assert not CaseLink.objects.filter(case=case).exists()


def test_binding_with_the_right_code_and_password(world):
    case = direct_case(court_of(world), judge=world.judge)
    bound = case_bind(actor=Actor(world.other_lawyer), code=case.query_code, password=case.query_password.lower())
    assert bound == case
    assert CaseLink.objects.get(case=case, lawyer=world.other_lawyer).via == LinkVia.CODE
    assert AuditEvent.objects.filter(action="courts.case_bind", result="ok", actor=world.other_lawyer).count() == 1


def test_a_wrong_pair_does_not_say_which_half_was_wrong(world):
    case = direct_case(court_of(world), judge=world.judge)
    messages = set()
    for code, password in ((case.query_code, "WRONG234"), ("999999999999", case.query_password)):
        with pytest.raises(DomainError) as refused:
            case_bind(actor=Actor(world.other_lawyer), code=code, password=password)
        messages.add((refused.value.code, refused.value.message))
    assert len(messages) == 1


def test_five_failures_lock_binding_for_thirty_minutes(world, monkeypatch):
    case = direct_case(court_of(world), judge=world.judge)
    actor = Actor(world.other_lawyer)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(DomainError) as refused:
            case_bind(actor=actor, code=case.query_code, password="WRONG234")
        assert refused.value.code == "bind_failed"
    with pytest.raises(DomainError) as refused:
        case_bind(actor=actor, code=case.query_code, password="WRONG234")
    assert refused.value.code == "bind_locked" and refused.value.status == 429
    # Locked: even the right pair is refused, and the attempt is recorded.
    with pytest.raises(DomainError) as refused:
        case_bind(actor=actor, code=case.query_code, password=case.query_password)
    assert refused.value.code == "bind_locked"
    attempts = AuditEvent.objects.filter(action="courts.case_bind", actor=world.other_lawyer)
    assert attempts.count() == MAX_FAILURES + 1
    assert not CaseLink.objects.filter(case=case, lawyer=world.other_lawyer).exists()
    # Thirty minutes later the right pair works.
    later = timezone.now() + timedelta(minutes=31)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert case_bind(actor=actor, code=case.query_code, password=case.query_password) == case


def test_a_success_clears_the_count(world):
    case = direct_case(court_of(world), judge=world.judge)
    actor = Actor(world.other_lawyer)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(DomainError):
            case_bind(actor=actor, code=case.query_code, password="WRONG234")
    case_bind(actor=actor, code=case.query_code, password=case.query_password)
    with pytest.raises(DomainError) as refused:
        case_bind(actor=actor, code=case.query_code, password="WRONG234")
    assert refused.value.code == "bind_failed"


def test_only_lawyers_bind(world, case):
    with pytest.raises(DomainError) as refused:
        case_bind(actor=Actor(world.officer), code=case.query_code, password="X")
    assert refused.value.status == 403


def test_search_by_number_party_and_status(world, case):
    other = direct_case(court_of(world), judge=world.judge, lawyers=[world.lawyer])
    other.parties.filter(role="defendant").update(name="赵六")
    assert list(selectors.lawyer_cases(world.lawyer, q="赵六")) == [other]
    assert list(selectors.lawyer_cases(world.lawyer, q=case.number)) == [case]
    assert list(selectors.lawyer_cases(world.lawyer, status="closed")) == []
    assert set(selectors.lawyer_cases(world.lawyer, status="open")) == {case, other}


def test_the_bind_page_and_the_api(world, login, client, api):
    case = direct_case(court_of(world), judge=world.judge)
    web = login(world.other_lawyer)
    page = web.post(reverse("courts:bind"), {"code": case.query_code, "password": "WRONG234"})
    assert "查询码或密码不正确" in page.content.decode()
    r = web.post(reverse("courts:bind"), {"code": case.query_code, "password": case.query_password})
    assert r.status_code == 302 and r["Location"] == reverse("courts:case", args=[case.pk])
    r = client.post(
        "/api/v1/courts/cases/bind",
        {"code": "1", "password": "2"},
        content_type="application/json",
        **api(world.lawyer),
    )
    assert r.status_code == 400 and r.json()["code"] == "bind_failed"


def test_the_cases_page_runs_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    web = login(world.lawyer)
    direct_case(court_of(world), judge=world.judge, lawyers=[world.lawyer])
    with django_assert_max_num_queries(40) as few:
        web.get(reverse("courts:cases"))
    for _ in range(10):
        direct_case(court_of(world), judge=world.judge, lawyers=[world.lawyer])
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = web.get(reverse("courts:cases")).content.decode()
    assert body.count("/courts/cases/") >= 11
