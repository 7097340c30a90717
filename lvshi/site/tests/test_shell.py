"""The base layout, navigation per role and the home pages."""

import re

import pytest
from django.urls import reverse

from lvshi.orgs.models import Role
from lvshi.site.registry import Registry, home_counters
from tests.factories import MembershipFactory, UserFactory


def test_anonymous_visitors_get_the_landing_page(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(reverse("site:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("accounts:login") in body and reverse("accounts:register") in body
    assert "律师注册" in body
    assert client.get(reverse("site:landing")).status_code == 200


def test_lawyer_home_has_the_v2_elements(world, login, django_assert_max_num_queries):
    client = login(world.lawyer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("site:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "李律师" in body and "上海甲律师事务所" in body
    assert "编辑我的资料" in body and reverse("accounts:profile") in body
    assert "我要预约" in body
    assert f'action="{reverse("accounts:logout")}"' in body and "退出" in body
    for key in ("bookings_review", "bookings_upcoming", "bookings_failed", "meeting_requests"):
        match = re.search(
            rf'<a class="counter" href="([^"]+)" data-counter="{key}"><span class="counter-value">(\d+)<', body
        )
        assert match, key
        assert match.group(2) == "0"


def test_lawyer_navigation(world, login):
    body = login(world.lawyer).get(reverse("site:home")).content.decode()
    nav = body[body.index('<nav class="main-nav"') : body.index("</nav>")]
    for label in ("首页", "我要预约", "我的预约", "消息中心", "通知公告", "我的资料"):
        assert label in nav
    assert reverse("notify:inbox") in nav and reverse("accounts:profile") in nav
    assert reverse("visits:my_bookings") in nav
    assert "机构管理" not in nav and "后台管理" not in nav
    # One button folds the menu on a phone (js/site.js); without script the menu shows.
    assert 'class="menu-toggle" aria-expanded="false" aria-controls="main-nav" hidden' in body


def test_before_the_second_factor_no_staff_menu_is_shown(world, login):
    client = login(world.officer, otp=False)
    response = client.get(reverse("visits:review_queue"), follow=True)  # sent on to the second factor
    page = response.content.decode()
    assert response.redirect_chain and "<form" in page
    assert 'class="main-nav"' not in page and "menu-toggle" not in page
    assert reverse("visits:review_queue") not in page
    assert "退出" in page  # signing out is still offered


def test_unread_count_is_shown_in_the_navigation(world, login):
    from lvshi.notify.models import Notification

    for i in range(3):
        Notification.objects.create(user=world.lawyer, kind="test", title=f"通知{i}", body="内容")
    Notification.objects.create(user=world.other_lawyer, kind="test", title="别人的", body="内容")
    body = login(world.lawyer).get(reverse("site:home")).content.decode()
    assert re.search(r'<span class="badge">3<span class="visually-hidden">', body)


@pytest.mark.parametrize(
    ("who", "org_name", "role_label"),
    [
        ("officer", "上海市第一看守所", "看守所民警"),
        ("authority_officer", "上海市公安局监所管理总队", "监所管理民警"),
        ("judge", "重庆市第一中级人民法院", "法官"),
        ("clerk", "重庆市第一中级人民法院", "书记员"),
        ("bureau_clerk", "上海市司法局", "司法行政工作人员"),
        ("auditor", "上海市司法局", "审计员"),
    ],
)
def test_staff_home_shows_their_organisation(world, login, who, org_name, role_label, django_assert_max_num_queries):
    client = login(getattr(world, who))
    # The page's own queries, and one for each to-do table of the user's roles
    # (six at most here: a judge's hearings, conflict requests, file reviews,
    # evidence exchanges and lawyers' messages, and the holiday calendar for the
    # working-day boundary): bounded by the entries, not by the data.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("site:home"))
    body = response.content.decode()
    assert org_name in body and role_label in body
    assert "data-counter=" not in body  # the lawyer's counters are the lawyer's
    assert "我要预约" not in body


def test_org_admin_home_and_nav_link_to_organisation_management(world, login):
    admin = UserFactory(name="总队管理员")
    MembershipFactory(user=admin, organisation=world.authority, role=Role.ORG_ADMIN)
    body = login(admin).get(reverse("site:home")).content.decode()
    assert reverse("orgs:list") in body
    assert reverse("orgs:detail", args=[world.authority.pk]) in body


def test_platform_admin_home(world, login):
    body = login(world.admin).get(reverse("site:home")).content.decode()
    assert reverse("orgs:list") in body and reverse("orgs:create") in body and reverse("admin:index") in body


def test_account_without_roles_is_told_what_to_do(db, login):
    body = login(UserFactory(name="新用户")).get(reverse("site:home")).content.decode()
    assert "尚未加入任何机构" in body


def test_a_module_plugs_in_its_counter(world, login, monkeypatch):
    entries = dict(home_counters._entries)
    monkeypatch.setattr(home_counters, "_entries", entries)
    home_counters.register(
        "bookings_review",
        label="预约审核中",
        url_name="notify:inbox",
        permission="visits.book",
        order=10,
        count=lambda user: 7 if user.name == "李律师" else 0,
    )
    body = login(world.lawyer).get(reverse("site:home")).content.decode()
    assert re.search(
        rf'<a class="counter" href="{reverse("notify:inbox")}" data-counter="bookings_review">'
        r'<span class="counter-value">7<',
        body,
    )


def test_entries_whose_url_does_not_exist_are_left_out(world, login):
    registry = Registry()
    registry.register("x", label="不存在", url_name="nowhere:page")
    registry.register("home", label="首页", url_name="site:home")
    assert [e.key for e in registry.for_user(world.lawyer)] == ["home"]


def test_layout_landmarks_skip_link_and_language_switch(world, login):
    body = login(world.lawyer).get(reverse("site:home")).content.decode()
    assert '<html lang="zh-Hans">' in body
    assert 'class="skip-link" href="#main"' in body and '<main id="main"' in body
    assert "<header" in body and "<footer" in body and 'aria-label="主导航"' in body
    assert f'action="{reverse("set_language")}"' in body and '<label for="lang">' in body
    assert "style=" not in body and "<style" not in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body), "inline scripts are not allowed by the CSP"


def test_english_is_available(world, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Lawyer Service Platform" in body and "Log in" in body


def test_chinese_is_the_default_whatever_the_browser_says(client, db):
    response = client.get(reverse("site:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-Hans">' in response.content.decode()


def test_only_one_navigation_entry_is_current(world, login):
    body = login(world.lawyer).get(reverse("site:home")).content.decode()
    assert body.count('aria-current="page"') == 1


@pytest.mark.parametrize(
    ("status", "text"),
    [("pending", "正在等待主管司法局核验"), ("rejected", "未通过核验"), ("verified", None)],
)
def test_lawyer_home_tells_the_licence_status(world, login, status, text):
    type(world.lawyer).objects.filter(pk=world.lawyer.pk).update(licence_status=status)
    world.lawyer.refresh_from_db()
    body = login(world.lawyer).get(reverse("site:home")).content.decode()
    if text:
        assert text in body
    else:
        assert 'class="notice"' not in body


@pytest.mark.parametrize(
    ("who", "present", "absent"),
    [
        ("auditor", ["audit:events"], ["orgs:list", "accounts:licence_queue"]),
        ("bureau_clerk", ["accounts:licence_queue"], ["orgs:list", "audit:events"]),
        ("officer", ["calendar:month"], ["orgs:list", "audit:events"]),
        ("judge", ["calendar:month"], ["accounts:licence_queue"]),
    ],
)
def test_staff_navigation_per_role(world, login, who, present, absent):
    body = login(getattr(world, who)).get(reverse("site:home")).content.decode()
    nav = body[body.index('<nav class="main-nav"') : body.index("</nav>")]
    for name in present:
        assert f'href="{reverse(name)}"' in nav, name
    for name in absent:
        assert f'href="{reverse(name)}"' not in nav, name
