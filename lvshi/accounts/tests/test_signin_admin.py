"""Django admin: platform admins who passed two-factor only; identity numbers
masked; tokens read-only; changes audited."""

import pytest
from django.urls import reverse

from lvshi.accounts.models import ApiToken
from lvshi.accounts.signin import token_issue
from lvshi.audit.models import AuditEvent
from lvshi.bureau.models import Firm
from lvshi.bureau.tests.factories import make_credit_code
from lvshi.core.actor import Actor

from .test_signin import LOGIN_URL

ADMIN = reverse("admin:index")


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_platform_login(client):
    response = client.get(ADMIN)
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow.status_code == 302
    assert follow["Location"] == f"{LOGIN_URL}?next=/admin/"


def test_admin_login_address_sends_a_verified_admin_on(client, world, login):
    login(world.admin)
    response = client.get(reverse("admin:login") + "?next=/admin/accounts/user/")
    assert response["Location"] == "/admin/accounts/user/"
    evil = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert evil["Location"] == ADMIN


def test_platform_admin_with_two_factor_gets_in(client, world, login, django_assert_max_num_queries):
    login(world.admin)
    with django_assert_max_num_queries(12):
        assert client.get(ADMIN).status_code == 200


def test_platform_admin_without_two_factor_is_sent_to_verify(client, world, login):
    login(world.admin, otp=False)
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))


@pytest.mark.parametrize("name", ["officer", "lawyer", "auditor"])
def test_other_users_are_refused_even_with_two_factor(client, world, login, name):
    user = getattr(world, name)
    user.is_staff = True
    user.save()
    login(user)
    response = client.get(ADMIN, follow=True)
    assert response.status_code == 403


def test_user_admin_shows_masked_id_numbers_only(client, world, login):
    login(world.admin)
    changelist = client.get(reverse("admin:accounts_user_changelist"))
    page = client.get(reverse("admin:accounts_user_change", args=[world.lawyer.pk]))
    for response in (changelist, page):
        body = response.content.decode()
        assert response.status_code == 200
        assert world.lawyer.id_number_masked in body
        assert world.lawyer.id_number not in body
        assert world.lawyer.id_number_encrypted not in body
        assert world.lawyer.id_number_hash not in body


def test_user_admin_finds_a_person_by_full_id_number(client, world, login):
    login(world.admin)
    response = client.get(reverse("admin:accounts_user_changelist"), {"q": world.lawyer.id_number.lower()})
    assert list(response.context["cl"].result_list) == [world.lawyer]


def test_user_changes_in_admin_are_audited(client, world, login):
    login(world.admin)
    url = reverse("admin:accounts_user_change", args=[world.lawyer.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(is_active="", name="李律师", mobile=world.lawyer.mobile, email="", licence_no=world.lawyer.licence_no)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    world.lawyer.refresh_from_db()
    assert not world.lawyer.is_active
    event = AuditEvent.objects.get(action="admin.user_change")
    assert event.actor == world.admin
    assert event.before["is_active"] is True and event.after["is_active"] is False


def test_api_tokens_are_read_only_in_admin(client, world, login):
    issued = token_issue(actor=Actor(world.lawyer))
    login(world.admin)
    page = client.get(reverse("admin:accounts_apitoken_change", args=[issued.row.pk]))
    assert page.status_code == 200
    assert issued.row.key_hash not in page.content.decode()
    assert (
        client.post(reverse("admin:accounts_apitoken_delete", args=[issued.row.pk]), {"post": "yes"}).status_code == 403
    )
    assert ApiToken.objects.filter(pk=issued.row.pk).exists()
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_registry_records_are_edited_with_an_audit_event(client, world, login):
    login(world.admin)
    code = make_credit_code()
    response = client.post(
        reverse("admin:bureau_firm_add"),
        {"organisation": world.firm.pk, "credit_code": code, "form": "partnership", "status": "practising"},
    )
    assert response.status_code == 302
    record = Firm.objects.get(credit_code=code)
    assert AuditEvent.objects.filter(action="admin.firm_add", object_id=str(record.pk)).exists()


def test_totp_secrets_are_not_shown(client, world, login):
    login(world.admin)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=world.admin)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.content.decode()
