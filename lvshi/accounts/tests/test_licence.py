"""Licence verification by the clerks of the firm's bureau."""

import json
import secrets
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lvshi.accounts.models import ApiToken, LicenceStatus
from lvshi.audit.models import AuditEvent
from lvshi.bureau.tests.factories import make_lawyer
from lvshi.core import crypto
from lvshi.notify import sms
from lvshi.notify.models import Notification
from lvshi.orgs.models import OrgKind
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_licence_no


def pending(firm, name="何律师"):
    lawyer = UserFactory(name=name, licence_no=make_licence_no(), licence_status=LicenceStatus.PENDING)
    MembershipFactory(user=lawyer, organisation=firm, role="lawyer")
    return lawyer


@pytest.fixture
def sh_pending(world):
    return pending(world.firm)


@pytest.fixture
def sz_pending(world):
    return pending(world.other_firm, name="罗律师")


def api_token(user) -> str:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=crypto.token_hash(raw), expires_at=timezone.now() + timedelta(hours=1))
    return raw


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


# --- the queue -------------------------------------------------------------------------------


def test_queue_lists_pending_lawyers_of_the_bureau_subtree(client, world, login, sh_pending, sz_pending):
    district = OrganisationFactory(name="浦东新区司法局", kind=OrgKind.JUSTICE_BUREAU, parent=world.sh_bureau)
    deep_firm = OrganisationFactory(name="浦东丙律师事务所", kind=OrgKind.LAW_FIRM, parent=district)
    deep = pending(deep_firm, name="钟律师")
    make_lawyer(deep_firm, "钟律帅", licence_no=deep.licence_no)
    login(world.bureau_clerk)
    response = client.get(reverse("accounts:licence_queue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert sh_pending.name in page and deep.name in page and deep_firm.name in page
    assert sz_pending.name not in page
    assert world.lawyer.name not in page  # verified already
    assert "姓名不一致" in page and "名册中无此执业证号" in page
    assert sh_pending.id_number not in page and sh_pending.id_number_masked in page


def test_queue_query_count_does_not_grow_with_the_queue(client, world, login, django_assert_max_num_queries):
    for i in range(12):
        pending(world.firm, name=f"律师{i}")
    login(world.bureau_clerk)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:licence_queue"))
    assert response.status_code == 200
    assert response.content.decode().count("核验通过</button>") == 12


@pytest.mark.parametrize("persona", ["lawyer", "officer", "judge", "auditor"])
def test_queue_needs_the_bureau_clerk_role(client, world, login, persona):
    login(getattr(world, persona))
    assert client.get(reverse("accounts:licence_queue")).status_code == 403


def test_queue_needs_a_login(client, db):
    response = client.get(reverse("accounts:licence_queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_queue_needs_two_factor_for_clerks(client, world, login):
    login(world.bureau_clerk, otp=False)
    response = client.get(reverse("accounts:licence_queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))


# --- decisions -------------------------------------------------------------------------------


def test_clerk_of_the_city_approves(client, world, login, sh_pending, django_capture_on_commit_callbacks):
    login(world.bureau_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:licence_approve", args=[sh_pending.pk]))
    assert response.status_code == 302
    sh_pending.refresh_from_db()
    assert sh_pending.licence_status == LicenceStatus.VERIFIED
    assert sh_pending.licence_verified_at is not None
    event = AuditEvent.objects.get(action="accounts.licence_approve")
    assert event.actor_id == world.bureau_clerk.pk and event.organisation_id == world.firm.pk
    assert Notification.objects.filter(user=sh_pending, kind="licence_verified").exists()
    assert [m.to for m in sms.outbox] == [sh_pending.mobile]


def test_clerk_of_another_city_gets_404(client, world, login, sh_pending):
    login(world.other_bureau_clerk)
    assert client.post(reverse("accounts:licence_approve", args=[sh_pending.pk])).status_code == 404
    assert client.get(reverse("accounts:licence_reject", args=[sh_pending.pk])).status_code == 404
    assert client.post(reverse("accounts:licence_reject", args=[sh_pending.pk]), {"reason": "x"}).status_code == 404
    sh_pending.refresh_from_db()
    assert sh_pending.licence_status == LicenceStatus.PENDING
    assert not AuditEvent.objects.filter(action__startswith="accounts.licence_").exists()


def test_other_roles_cannot_decide(client, world, login, sh_pending):
    login(world.lawyer)
    assert client.post(reverse("accounts:licence_approve", args=[sh_pending.pk])).status_code == 403
    sh_pending.refresh_from_db()
    assert sh_pending.licence_status == LicenceStatus.PENDING


def test_approve_needs_post(client, world, login, sh_pending):
    login(world.bureau_clerk)
    assert client.get(reverse("accounts:licence_approve", args=[sh_pending.pk])).status_code == 405


def test_a_decided_lawyer_leaves_the_queue(client, world, login, sh_pending):
    login(world.bureau_clerk)
    client.post(reverse("accounts:licence_approve", args=[sh_pending.pk]))
    assert client.post(reverse("accounts:licence_approve", args=[sh_pending.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="accounts.licence_approve").count() == 1


def test_reject_with_a_reason(client, world, login, sh_pending, django_capture_on_commit_callbacks):
    login(world.bureau_clerk)
    page = client.get(reverse("accounts:licence_reject", args=[sh_pending.pk]))
    assert page.status_code == 200 and sh_pending.name in page.content.decode()
    response = client.post(reverse("accounts:licence_reject", args=[sh_pending.pk]), {"reason": "   "})
    assert response.status_code == 400
    assert "请填写不予核验的原因" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:licence_reject", args=[sh_pending.pk]), {"reason": "执业证号与名册不符"}
        )
    assert response.status_code == 302
    sh_pending.refresh_from_db()
    assert sh_pending.licence_status == LicenceStatus.REJECTED
    assert AuditEvent.objects.get(action="accounts.licence_reject").message == "执业证号与名册不符"
    note = Notification.objects.get(user=sh_pending, kind="licence_rejected")
    assert "执业证号与名册不符" in note.body
    assert "执业证号与名册不符" in sms.outbox[-1].body

    # The lawyer sees the reason and can correct the number.
    login(sh_pending)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "执业证号与名册不符" in profile and "修改执业证号" in profile
    response = client.post(reverse("accounts:profile_licence"), {"licence_no": make_licence_no()})
    assert response.status_code == 302
    sh_pending.refresh_from_db()
    assert sh_pending.licence_status == LicenceStatus.PENDING


def test_platform_admin_sees_every_bureau(client, world, login, sh_pending, sz_pending):
    login(world.admin)
    page = client.get(reverse("accounts:licence_queue")).content.decode()
    assert sh_pending.name in page and sz_pending.name in page


# --- the API -----------------------------------------------------------------------------------


def test_api_queue_and_decisions(client, world, sh_pending, sz_pending):
    token = api_token(world.bureau_clerk)
    response = client.get("/api/v1/accounts/licences", **bearer(token))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [sh_pending.pk]

    url = f"/api/v1/accounts/licences/{sz_pending.pk}/approve"
    assert client.post(url, **bearer(token)).status_code == 404

    url = f"/api/v1/accounts/licences/{sh_pending.pk}/reject"
    response = client.post(url, json.dumps({"reason": ""}), "application/json", **bearer(token))
    assert response.status_code == 400 and response.json()["code"] == "reason_required"
    response = client.post(url, json.dumps({"reason": "姓名不符"}), "application/json", **bearer(token))
    assert response.status_code == 200
    assert response.json()["licence_status"] == "rejected"


def test_api_queue_needs_the_role(client, world):
    token = api_token(world.lawyer)
    assert client.get("/api/v1/accounts/licences", **bearer(token)).status_code == 403
    assert client.get("/api/v1/accounts/licences").status_code == 401


@pytest.mark.postgres
def test_two_clerks_deciding_at_once_make_one_decision(transactional_db):
    import threading

    from django.db import connection

    from lvshi.accounts.services import licence_approve, licence_reject
    from lvshi.core.errors import DomainError
    from lvshi.orgs.models import Role

    bureau = OrganisationFactory(name="并发司法局", kind=OrgKind.JUSTICE_BUREAU)
    firm = OrganisationFactory(name="并发律师事务所", kind=OrgKind.LAW_FIRM, parent=bureau)
    clerks = []
    for name in ("甲科员", "乙科员"):
        clerk = UserFactory(name=name)
        MembershipFactory(user=clerk, organisation=bureau, role=Role.BUREAU_CLERK)
        clerks.append(clerk)
    lawyer = pending(firm)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(clerk, approve):
        try:
            barrier.wait()
            target = type(lawyer).objects.get(pk=lawyer.pk)
            if approve:
                licence_approve(clerk=clerk, lawyer=target, ip="127.0.0.1")
            else:
                licence_reject(clerk=clerk, lawyer=target, reason="名册无记录", ip="127.0.0.1")
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(clerks[0], True)),
        threading.Thread(target=decide, args=(clerks[1], False)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["licence_not_pending", "ok"]
    assert AuditEvent.objects.filter(action__in=["accounts.licence_approve", "accounts.licence_reject"]).count() == 1
    assert Notification.objects.filter(user=lawyer, kind__startswith="licence_").count() == 1
