import re

import pytest
from django.urls import reverse

from lvshi.audit.models import AuditEvent
from lvshi.orgs.models import Membership, Organisation, OrgKind, Role
from tests.factories import make_id_number


@pytest.fixture
def authority_admin(make_admin):
    return make_admin("authority")


# --- the tree ---------------------------------------------------------------------


def test_org_admin_sees_their_subtree_only(world, login, authority_admin, django_assert_max_num_queries):
    client = login(authority_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("orgs:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "上海市第一看守所" in body and "上海市第二看守所" in body
    assert "上海甲律师事务所" not in body and "重庆市第一中级人民法院" not in body


def test_platform_admin_sees_every_organisation(world, login):
    response = login(world.admin).get(reverse("orgs:list"))
    body = response.content.decode()
    for org in (world.firm, world.other_firm, world.court, world.centre):
        assert org.name in body
    assert reverse("orgs:create") in body


@pytest.mark.parametrize("who", ["lawyer", "officer", "judge", "bureau_clerk"])
def test_the_tree_needs_an_administrator(world, login, who):
    assert login(getattr(world, who)).get(reverse("orgs:list")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(reverse("orgs:detail", args=[world.centre.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# --- one organisation ----------------------------------------------------------------


def test_detail_lists_members_with_bounded_queries(world, login, authority_admin, django_assert_max_num_queries):
    client = login(authority_admin)
    url = reverse("orgs:detail", args=[world.centre.pk])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert "赵警官" in response.content.decode()
    from tests.factories import MembershipFactory

    for _ in range(5):
        MembershipFactory(organisation=world.centre, role=Role.OFFICER)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_detail_of_another_scope_is_not_found(world, login, authority_admin):
    client = login(authority_admin)
    assert client.get(reverse("orgs:detail", args=[world.court.pk])).status_code == 404
    assert client.get(reverse("orgs:detail", args=[999999])).status_code == 404


def test_detail_for_a_member_without_the_admin_role_is_forbidden(world, login):
    assert login(world.officer).get(reverse("orgs:detail", args=[world.centre.pk])).status_code == 403


# --- creating organisations --------------------------------------------------------------


def test_platform_admin_creates_a_top_level_body(world, login):
    response = login(world.admin).post(
        reverse("orgs:create"),
        {"name": "广东省司法厅", "kind": OrgKind.JUSTICE_BUREAU, "region_code": "440000", "region_name": "广东省"},
    )
    org = Organisation.objects.get(name="广东省司法厅")
    assert response.status_code == 302 and response["Location"] == reverse("orgs:detail", args=[org.pk])


def test_org_admin_cannot_open_top_level_creation(world, login, authority_admin):
    assert login(authority_admin).get(reverse("orgs:create")).status_code == 403


def test_org_admin_creates_a_child_and_bad_input_shows_errors(world, login, authority_admin):
    client = login(authority_admin)
    url = reverse("orgs:create_child", args=[world.authority.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'value="detention_centre"' in page.content.decode()
    assert 'value="court"' not in page.content.decode()
    bad = client.post(url, {"name": "上海市第一看守所", "kind": OrgKind.DETENTION_CENTRE, "region_code": "310000",
                            "region_name": "上海市"})  # fmt: skip
    assert bad.status_code == 200 and "同一上级机构下已有同名机构" in bad.content.decode()
    wrong_kind = client.post(url, {"name": "某法院", "kind": OrgKind.COURT, "region_code": "310000",
                                   "region_name": "上海市"})  # fmt: skip
    assert wrong_kind.status_code == 200
    assert not Organisation.objects.filter(name="某法院").exists()
    ok = client.post(url, {"name": "上海市第三看守所", "kind": OrgKind.DETENTION_CENTRE, "region_code": "310000",
                           "region_name": "上海市"})  # fmt: skip
    assert ok.status_code == 302
    assert Organisation.objects.get(name="上海市第三看守所").parent == world.authority


def test_creating_a_child_elsewhere_is_not_found(world, login, authority_admin):
    assert login(authority_admin).get(reverse("orgs:create_child", args=[world.court.pk])).status_code == 404


# --- staff accounts and activation ------------------------------------------------------


def _staff_form(**extra):
    return {"id_number": make_id_number(), "name": "新民警", "mobile": "13912345678", "role": Role.OFFICER, **extra}


def _texted_link(mobile: str) -> str:
    from lvshi.notify.sms import outbox

    body = [m.body for m in outbox if m.to == mobile][-1]
    return re.search(r"(http://testserver/orgs/activate/\S+/)", body).group(1)


def test_add_staff_texts_a_one_time_activation_link_that_sets_the_password(
    world, login, authority_admin, client, django_capture_on_commit_callbacks
):
    admin_client = login(authority_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("orgs:staff_create", args=[world.centre.pk]), _staff_form(mobile="13911112222"), follow=True
        )
    body = response.content.decode()
    assert response.status_code == 200 and "139****2222" in body
    assert "/orgs/activate/" not in body  # the administrator never sees the link
    link = _texted_link("13911112222")

    admin_client.logout()
    path = link.removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    weak = client.post(path, {"new_password1": "abc", "new_password2": "abc"})
    assert weak.status_code == 200 and 'class="error"' in weak.content.decode()
    done = client.post(path, {"new_password1": "Xin@min2026jing", "new_password2": "Xin@min2026jing"})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:login")
    new_user = Membership.objects.get(organisation=world.centre, user__name="新民警").user
    assert new_user.check_password("Xin@min2026jing")
    assert client.get(path).status_code == 404  # used up
    assert AuditEvent.objects.filter(action="orgs.staff_account_activate", actor=new_user).exists()


def test_add_staff_with_bad_input_shows_the_error_and_creates_nothing(world, login, authority_admin):
    client = login(authority_admin)
    response = client.post(
        reverse("orgs:staff_create", args=[world.centre.pk]), _staff_form(id_number="310101198506120000")
    )
    assert response.status_code == 200 and "校验位" in response.content.decode()
    assert not Membership.objects.filter(user__name="新民警").exists()
    judge_role = client.post(reverse("orgs:staff_create", args=[world.centre.pk]), _staff_form(role=Role.JUDGE))
    assert judge_role.status_code == 200
    assert not Membership.objects.filter(user__name="新民警").exists()


def test_add_staff_elsewhere_is_not_found(world, login, authority_admin):
    response = login(authority_admin).post(reverse("orgs:staff_create", args=[world.court.pk]), _staff_form())
    assert response.status_code == 404
    assert not Membership.objects.filter(user__name="新民警").exists()


def test_a_broken_activation_link_is_not_found(client, world):
    assert client.get(reverse("orgs:activate", args=["MQ", "bad-token"])).status_code == 404
    assert client.get(reverse("orgs:activate", args=["!!", "bad-token"])).status_code == 404


# --- roles and deactivation ------------------------------------------------------------------


def test_change_role_and_deactivate_a_member(world, login, authority_admin):
    client = login(authority_admin)
    membership = world.officer.memberships.get()
    assert client.get(reverse("orgs:member_edit", args=[membership.pk])).status_code == 200
    response = client.post(reverse("orgs:member_edit", args=[membership.pk]), {"role": Role.AUDITOR, "title": ""})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.AUDITOR
    assert client.get(reverse("orgs:member_deactivate", args=[membership.pk])).status_code == 405
    client.post(reverse("orgs:member_deactivate", args=[membership.pk]))
    membership.refresh_from_db()
    assert not membership.is_active
    client.post(reverse("orgs:member_activate", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.is_active


def test_a_role_the_kind_does_not_have_is_refused(world, login, authority_admin):
    membership = world.officer.memberships.get()
    response = login(authority_admin).post(reverse("orgs:member_edit", args=[membership.pk]), {"role": Role.JUDGE})
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.role == Role.OFFICER


def test_member_pages_of_another_scope_are_not_found(world, login, make_admin):
    client = login(make_admin("centre"))
    theirs = world.other_officer.memberships.get()
    assert client.get(reverse("orgs:member_edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("orgs:member_deactivate", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("orgs:member_activation_link", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


def test_a_member_without_the_admin_role_cannot_change_colleagues(world, login):
    from tests.factories import MembershipFactory

    colleague = MembershipFactory(organisation=world.centre, role=Role.OFFICER)
    response = login(world.officer).post(reverse("orgs:member_deactivate", args=[colleague.pk]))
    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.is_active


def test_own_membership_cannot_be_deactivated_from_the_page(world, login, authority_admin):
    own = authority_admin.memberships.get()
    response = login(authority_admin).post(reverse("orgs:member_deactivate", args=[own.pk]), follow=True)
    assert "不能修改自己的角色" in response.content.decode()
    own.refresh_from_db()
    assert own.is_active


def test_resend_the_activation_text(world, login, authority_admin, django_capture_on_commit_callbacks):
    client = login(authority_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("orgs:staff_create", args=[world.centre.pk]), _staff_form(mobile="13911113333"))
    membership = Membership.objects.get(user__name="新民警")
    page = client.get(reverse("orgs:detail", args=[world.centre.pk])).content.decode()
    assert reverse("orgs:member_activation_link", args=[membership.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("orgs:member_activation_link", args=[membership.pk]), follow=True)
    assert "139****3333" in response.content.decode()
    from lvshi.notify.sms import outbox

    assert len([m for m in outbox if m.to == "13911113333"]) == 2
    refused = client.post(
        reverse("orgs:member_activation_link", args=[world.officer.memberships.get().pk]), follow=True
    )
    assert "已设置密码" in refused.content.decode()


def test_the_tree_takes_the_same_queries_however_large(world, login, authority_admin, django_assert_max_num_queries):
    from tests.factories import OrganisationFactory

    client = login(authority_admin)
    with django_assert_max_num_queries(12):
        client.get(reverse("orgs:list"))
    for i in range(15):
        centre = OrganisationFactory(name=f"看守所{i}", kind=OrgKind.DETENTION_CENTRE, parent=world.authority)
        OrganisationFactory(name=f"会见点{i}", kind=OrgKind.VIDEO_POINT, parent=centre)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("orgs:list"))
    assert response.content.decode().count(">会见点") == 15


def test_a_short_id_number_gets_the_precise_message(world, login, authority_admin):
    response = login(authority_admin).post(
        reverse("orgs:staff_create", args=[world.centre.pk]), _staff_form(id_number="310101850612001")
    )
    assert "不支持15位旧身份证号码" in response.content.decode()


def test_edit_an_organisation(world, login, authority_admin):
    client = login(authority_admin)
    url = reverse("orgs:edit", args=[world.centre.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'value="上海市第一看守所"' in page.content.decode()
    data = {"name": "上海市第一看守所", "short_name": "一看", "region_code": "310000", "region_name": "上海市",
            "address": "某路1号", "phone": "021-12345678"}  # fmt: skip
    assert client.post(url, {**data, "region_code": "31"}).status_code == 200
    response = client.post(url, data)
    assert response.status_code == 302
    world.centre.refresh_from_db()
    assert world.centre.short_name == "一看" and world.centre.phone == "021-12345678"


def test_edit_elsewhere_is_not_found_and_members_are_refused(world, login, authority_admin):
    assert login(authority_admin).get(reverse("orgs:edit", args=[world.court.pk])).status_code == 404
    assert login(world.officer).get(reverse("orgs:edit", args=[world.centre.pk])).status_code == 403


def test_find_an_organisation_by_name_within_scope(world, login, authority_admin):
    client = login(authority_admin)
    body = client.get(reverse("orgs:list"), {"q": "第二"}).content.decode()
    assert "上海市第二看守所" in body and "上海市第一看守所" not in body
    body = client.get(reverse("orgs:list"), {"q": "法院"}).content.decode()
    assert "重庆市第一中级人民法院" not in body and "没有名称含" in body


def test_deactivate_with_htmx_redraws_only_the_row(world, login, authority_admin):
    client = login(authority_admin)
    membership = world.officer.memberships.get()
    response = client.post(reverse("orgs:member_deactivate", args=[membership.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.strip().startswith(f'<tr id="member-{membership.pk}" class="inactive">')
    assert "已停用赵警官在本机构的角色" in body and reverse("orgs:member_activate", args=[membership.pk]) in body
    assert "<html" not in body
    again = client.post(reverse("orgs:member_deactivate", args=[membership.pk]), HTTP_HX_REQUEST="true")
    assert "无需重复操作" in again.content.decode()


def test_the_detail_page_wires_the_row_buttons_for_htmx(world, login, authority_admin):
    membership = world.officer.memberships.get()
    body = login(authority_admin).get(reverse("orgs:detail", args=[world.centre.pk])).content.decode()
    assert f'hx-post="{reverse("orgs:member_deactivate", args=[membership.pk])}"' in body
    assert f'hx-target="#member-{membership.pk}"' in body


@pytest.mark.parametrize(
    ("name", "method", "arg"),
    [
        ("orgs:list", "get", None),
        ("orgs:create", "get", None),
        ("orgs:detail", "get", "centre"),
        ("orgs:edit", "get", "centre"),
        ("orgs:create_child", "get", "centre"),
        ("orgs:staff_create", "post", "centre"),
        ("orgs:member_edit", "get", "membership"),
        ("orgs:member_deactivate", "post", "membership"),
        ("orgs:member_activate", "post", "membership"),
        ("orgs:member_activation_link", "post", "membership"),
    ],
)
def test_every_organisation_page_asks_anonymous_visitors_to_log_in(client, world, name, method, arg):
    pk = {"centre": world.centre.pk, "membership": world.officer.memberships.get().pk}.get(arg)
    url = reverse(name, args=[pk] if pk else [])
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
