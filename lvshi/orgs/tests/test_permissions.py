"""The one permission path: declared rules, the page and operation
decorators, and list queries through ``permissions.visible``."""

import pytest
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.test import RequestFactory

from lvshi.core.errors import PermissionDenied
from lvshi.orgs import permissions
from lvshi.orgs.models import Organisation, Role


def test_a_declared_rule_gives_its_roles_in_scope_and_platform_admins(world):
    assert permissions.allowed(world.officer, "visits.review_booking")
    assert permissions.allowed(world.admin, "visits.review_booking")
    assert not permissions.allowed(world.lawyer, "visits.review_booking")
    # With an object: only at or below the officer's own centre.
    assert permissions.allowed(world.officer, "visits.manage_centre", world.centre)
    assert not permissions.allowed(world.officer, "visits.manage_centre", world.other_centre)
    assert permissions.allowed(world.authority_officer, "visits.manage_centre", world.other_centre)


def test_a_refusal_says_what_the_rule_says(world):
    with pytest.raises(PermissionDenied) as refused:
        permissions.require(world.officer, "visits.book")
    assert refused.value.status == 403 and refused.value.message == "只有执业律师可以预约会见。"
    assert permissions.denied_message("no.such_rule")  # a default sentence, never empty


def test_anonymous_and_inactive_users_have_no_permission(world):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.allowed(AnonymousUser(), permissions.SIGNED_IN)
    world.lawyer.is_active = False
    assert not permissions.allowed(world.lawyer, "visits.book")
    assert permissions.allowed(AnonymousUser(), permissions.PUBLIC)


def test_the_page_decorator_sends_anonymous_visitors_to_login_and_refuses_others(world):
    from django.contrib.auth.models import AnonymousUser

    @permissions.page("visits.book")
    def view(request):
        return "ok"

    request = RequestFactory().get("/x/")
    request.user = AnonymousUser()
    assert view(request).status_code == 302
    request.user = world.officer
    with pytest.raises(HttpForbidden, match="只有执业律师可以预约会见"):
        view(request)
    request.user = world.lawyer
    assert view(request) == "ok"
    assert view.permission == "visits.book"


def test_visible_lists_what_the_rule_reaches(world):
    centres = Organisation.objects.filter(pk__in=[world.centre.pk, world.other_centre.pk])
    assert set(permissions.visible(world.admin, centres, "visits.manage_centre", field=None)) == set(centres)
    assert list(permissions.visible(world.officer, centres, "visits.manage_centre", field=None)) == [world.centre]
    authority = permissions.visible(world.authority_officer, centres, "visits.manage_centre", field=None)
    assert set(authority) == set(centres)
    assert not permissions.visible(world.lawyer, centres, "visits.manage_centre", field=None).exists()


def test_a_rule_needs_someone_to_give_it_to():
    with pytest.raises(ValueError):
        permissions.declare("test.nobody")
    rule = permissions.declare("test.officers", roles=(Role.OFFICER,), denied="只有民警。")
    assert permissions.rule_of("test.officers") == rule
