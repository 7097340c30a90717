"""The actor a use case is carried out for: made from a request (session or
API token), for a periodic job, or in a test; its address reaches the audit
trail without the service seeing the request."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from lvshi.audit.models import AuditEvent
from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor


def _request(user=None, **meta):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", **meta)
    request.user = user or AnonymousUser()
    return request


def test_a_signed_in_request_gives_its_user_address_and_origin(world):
    actor = Actor.of(_request(world.lawyer))
    assert actor.user == world.lawyer
    assert actor.ip == "203.0.113.7"
    assert actor.origin == "http://testserver"
    assert not actor.is_system


def test_an_api_token_s_user_is_the_actor(world):
    request = _request()
    request.auth = world.officer
    assert Actor.of(request).user == world.officer


def test_an_anonymous_request_has_no_user_but_keeps_the_address():
    actor = Actor.of(_request())
    assert actor.user is None and actor.ip == "203.0.113.7"


def test_a_host_outside_allowed_hosts_leaves_no_origin(world):
    actor = Actor.of(_request(world.lawyer, HTTP_HOST="evil.example"))
    assert actor.origin == "" and actor.user == world.lawyer


def test_a_named_user_replaces_the_request_s(world):
    actor = Actor.of(_request(), user=world.lawyer)
    assert actor.user == world.lawyer and actor.ip == "203.0.113.7"


def test_a_periodic_job_names_itself():
    actor = Actor.system("mark_no_shows")
    assert actor.is_system and actor.user is None and str(actor) == "mark_no_shows"
    with pytest.raises(ValueError):
        Actor.system("")


def test_the_audit_event_takes_user_address_and_job_from_the_actor(world):
    audit_record(action="test.one", actor=Actor.of(_request(world.lawyer)))
    audit_record(action="test.two", actor=Actor.system("expire_waitlist_offers"))
    one, two = AuditEvent.objects.filter(action__startswith="test.").order_by("seq", "pk")
    assert (one.actor_id, one.ip) == (world.lawyer.pk, "203.0.113.7")
    assert one.actor_label == str(world.lawyer)
    assert two.actor_id is None and two.actor_label == "expire_waitlist_offers"
