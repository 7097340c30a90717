import pytest
from django.urls import reverse
from django.utils import timezone

from lvshi.notify.models import Notification
from lvshi.notify.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_inbox_needs_login(client):
    response = client.get(reverse("notify:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_inbox_lists_only_my_notifications(world, login):
    NotificationFactory(user=world.lawyer, title="执业信息已核验")
    NotificationFactory(user=world.other_lawyer, title="别人的通知")
    response = login(world.lawyer).get(reverse("notify:inbox"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "执业信息已核验" in page
    assert "别人的通知" not in page
    assert "您有 1 条未读消息" in page


def test_inbox_pages_with_bounded_queries(world, login, django_assert_max_num_queries):
    Notification.objects.bulk_create(
        [Notification(user=world.lawyer, kind="message", title=f"第{i}条", body="x") for i in range(45)]
    )
    client = login(world.lawyer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notify:inbox"), {"page": 3})
    page = response.content.decode()
    assert "第 3 / 3 页" in page
    assert page.count('class="notification unread"') == 5
    assert client.get(reverse("notify:inbox"), {"page": "abc"}).status_code == 200


def test_inbox_htmx_returns_only_the_list(world, login):
    NotificationFactory(user=world.lawyer, title="甲")
    response = login(world.lawyer).get(reverse("notify:inbox"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="inbox-list"')
    assert "<html" not in page


def test_unread_filter(world, login):
    NotificationFactory(user=world.lawyer, title="已读的", read_at=timezone.now())
    NotificationFactory(user=world.lawyer, title="未读的")
    page = login(world.lawyer).get(reverse("notify:inbox"), {"unread": "1"}).content.decode()
    assert "未读的" in page and "已读的" not in page


def test_mark_read(world, login):
    n = NotificationFactory(user=world.lawyer)
    response = login(world.lawyer).post(reverse("notify:mark_read", args=[n.pk]), {"page": "1"})
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_read_by_htmx_refreshes_the_list(world, login):
    n = NotificationFactory(user=world.lawyer, title="甲")
    response = login(world.lawyer).post(reverse("notify:mark_read", args=[n.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notifications-changed"
    assert "您有 0 条未读消息" in response.content.decode()


def test_mark_read_of_someone_elses_notification_is_404(world, login):
    theirs = NotificationFactory(user=world.other_lawyer)
    response = login(world.lawyer).post(reverse("notify:mark_read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_needs_post(world, login):
    n = NotificationFactory(user=world.lawyer)
    assert login(world.lawyer).get(reverse("notify:mark_read", args=[n.pk])).status_code == 405


def test_open_follows_local_link_only(world, login):
    local = NotificationFactory(user=world.lawyer, url="/calendar/month/")
    evil = NotificationFactory(user=world.lawyer, url="https://evil.example.com/")
    client = login(world.lawyer)
    response = client.post(reverse("notify:mark_read", args=[local.pk]), {"open": "1"})
    assert response["Location"] == "/calendar/month/"
    response = client.post(reverse("notify:mark_read", args=[evil.pk]), {"open": "1"})
    assert response["Location"].startswith(reverse("notify:inbox"))


def test_mark_all_read_touches_only_mine(world, login):
    mine = [NotificationFactory(user=world.lawyer) for _ in range(3)]
    theirs = NotificationFactory(user=world.other_lawyer)
    response = login(world.lawyer).post(reverse("notify:mark_all_read"))
    assert response.status_code == 302
    assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_header_unread_count_is_one_query(world, django_assert_num_queries):
    from lvshi.notify.selectors import unread_count

    NotificationFactory(user=world.lawyer)
    with django_assert_num_queries(1):
        assert unread_count(world.lawyer) == 1


@pytest.mark.parametrize("name", ["notify:inbox", "notify:mark_all_read"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.post(reverse(name)) if "mark" in name else client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
