import io

import pytest
from django.core import mail

from lvshi.core.crypto import decrypt
from lvshi.core.errors import DomainError
from lvshi.notify import kinds, sms
from lvshi.notify.kinds import Kind, MissingContext, UnknownKind
from lvshi.notify.models import Delivery, DeliveryStatus, Notification
from lvshi.notify.services import delivery_send, notify_user, notify_users, send_sms
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_user_writes_inbox_and_sends_sms_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory(name="李律师", mobile="13800138000")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify_user(user, kind="licence_verified", context={"name": "李律师", "licence_no": "1"})
        assert sms.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    assert notification.title == "执业信息已核验"
    assert "李律师" in notification.body
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 1
    assert [m.to for m in sms.outbox] == ["13800138000"]
    assert sms.outbox[0].body.startswith("【律师服务平台】李律师，您的执业证已核验通过")
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1
    assert delivery.recipient_masked == "138****8000"
    assert "13800138000" not in delivery.recipient
    assert decrypt(delivery.recipient) == "13800138000"


def test_notify_user_by_email_only(django_capture_on_commit_callbacks):
    user = UserFactory(email="li@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        notify_user(user, kind="password_changed", context={"when": "2026-11-24 10:00"}, channels=["email"])
    assert Notification.objects.count() == 0
    assert sms.outbox == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["li@example.cn"]
    assert mail.outbox[0].subject == "密码已修改"
    assert "2026-11-24 10:00" in mail.outbox[0].body


def test_email_channel_skipped_without_address(django_capture_on_commit_callbacks):
    user = UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        notify_user(user, kind="welcome", context={"name": "甲"}, channels=["inbox", "email"])
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 0
    assert mail.outbox == []


def test_unknown_kind_is_a_clear_error_and_writes_nothing():
    user = UserFactory()
    with pytest.raises(UnknownKind, match="未知的通知类型 'no_such_kind'"):
        notify_user(user, kind="no_such_kind", context={})
    assert Notification.objects.count() == 0


def test_missing_context_is_refused():
    user = UserFactory()
    with pytest.raises(MissingContext, match="reason"):
        notify_user(user, kind="licence_rejected", context={"name": "甲"})
    assert Notification.objects.count() == 0


def test_unknown_channel_is_refused():
    with pytest.raises(ValueError, match="pigeon"):
        notify_user(UserFactory(), kind="welcome", context={"name": "甲"}, channels=["pigeon"])


def test_context_is_not_html_escaped_in_texts():
    user = UserFactory()
    n = notify_user(user, kind="licence_rejected", context={"name": "A&B", "reason": "<证号不符>"}, channels=["inbox"])
    assert "A&B" in n.body and "<证号不符>" in n.body


def test_send_sms_code_before_login_forgets_the_code_once_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = send_sms(mobile=" 138-0013-8000 ", template="sms_code", context={"code": "482913"})
    assert len(sms.outbox) == 1
    assert sms.outbox[0].to == "13800138000"
    assert "验证码为482913，10分钟内有效" in sms.outbox[0].body
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.body == ""


def test_send_sms_rejects_a_bad_number():
    with pytest.raises(DomainError) as exc:
        send_sms(mobile="12345", template="sms_code", context={"code": "1"})
    assert exc.value.code == "mobile_invalid"
    assert Delivery.objects.count() == 0


class BrokenGateway(sms.BaseSmsBackend):
    def send_messages(self, messages):
        raise sms.SmsDeliveryError("网关超时")


def test_failed_delivery_is_recorded_and_can_be_retried(settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = f"{__name__}.BrokenGateway"
    with django_capture_on_commit_callbacks(execute=True):
        delivery = send_sms(mobile="13800138000", template="sms_code", context={"code": "111111"})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert "网关超时" in delivery.last_error
    assert delivery.body  # kept so the retry can send it

    settings.SMS_BACKEND = "lvshi.notify.sms.LocmemSmsBackend"
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.SENT
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 2
    assert delivery.last_error == ""
    assert len(sms.outbox) == 1


def test_a_sent_delivery_is_not_sent_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = send_sms(mobile="13800138000", template="sms_code", context={"code": "1"})
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.SENT
    assert len(sms.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


# A kind of this test's own: notify holds no other app's kinds.
BROADCAST = Kind(
    key="test_broadcast",
    title="{{ title }}",
    inbox="{{ summary }}",
    sms="{{ publisher }}发布通知：{{ title }}。请登录平台查看详情。",
    needs=("title", "summary", "publisher"),
)


def test_notify_users_tells_each_person_once_in_bounded_queries(
    django_capture_on_commit_callbacks, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setitem(kinds._registry, BROADCAST.key, BROADCAST)
    people = [UserFactory(mobile=f"1370000000{i}") for i in range(6)]
    people[5].mobile = ""  # no number: inbox only
    with django_assert_max_num_queries(6), django_capture_on_commit_callbacks(execute=False) as callbacks:
        n = notify_users(
            people + people[:2],
            kind=BROADCAST.key,
            context={
                "title": "会见时间调整",
                "summary": "自下周起下午场延长至17:00。",
                "publisher": "监所管理总队",
            },
            url="/notices/1/",
        )
    assert n == 6
    assert Notification.objects.count() == 6
    assert set(Notification.objects.values_list("title", flat=True)) == {"会见时间调整"}
    assert Delivery.objects.count() == 5
    assert all(d.notification_id for d in Delivery.objects.all())
    for callback in callbacks:
        callback()
    assert sorted(m.to for m in sms.outbox) == [f"1370000000{i}" for i in range(5)]
    assert "监所管理总队发布通知：会见时间调整" in sms.outbox[0].body


def test_retry_command_requeues_stale_and_failed_and_prunes_old_sent(settings, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    settings.SMS_BACKEND = f"{__name__}.BrokenGateway"
    with django_capture_on_commit_callbacks(execute=True):
        send_sms(mobile="13800138001", template="sms_code", context={"code": "1"})
    settings.SMS_BACKEND = "lvshi.notify.sms.LocmemSmsBackend"
    with django_capture_on_commit_callbacks(execute=False):
        stale = send_sms(mobile="13800138002", template="sms_code", context={"code": "2"})
    long_ago = timezone.now() - timedelta(hours=1)
    Delivery.objects.filter(pk=stale.pk).update(status=DeliveryStatus.SENDING, claimed_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        old = send_sms(mobile="13800138003", template="sms_code", context={"code": "3"})
    Delivery.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=100))
    sms.outbox.clear()

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_retry", "--prune-days", "90", stdout=out)
    assert "已重新排队 2 条消息" in out.getvalue()

    assert sorted(m.to for m in sms.outbox) == ["13800138001", "13800138002"]
    assert not Delivery.objects.filter(pk=old.pk).exists()
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_retry_gives_up_after_max_attempts(settings, django_capture_on_commit_callbacks):
    from lvshi.notify.services import MAX_ATTEMPTS, delivery_retry_due

    settings.SMS_BACKEND = f"{__name__}.BrokenGateway"
    with django_capture_on_commit_callbacks(execute=True):
        delivery = send_sms(mobile="13800138001", template="sms_code", context={"code": "1"})
    for _ in range(MAX_ATTEMPTS - 1):
        with django_capture_on_commit_callbacks(execute=True):
            assert delivery_retry_due() == 1
    delivery.refresh_from_db()
    assert delivery.attempts == MAX_ATTEMPTS
    assert delivery_retry_due() == 0


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("材料不清晰", "原因：材料不清晰。请补正。"),
        ("材料不清晰。", "原因：材料不清晰。请补正。"),
        ("是否已委托？", "原因：是否已委托？请补正。"),
        ("见附件…", "原因：见附件…请补正。"),
    ],
)
def test_a_reason_that_ends_its_own_sentence_gets_no_second_stop(reason, expected):
    kind = Kind(key="test_reason", title="退回", inbox="原因：{{ reason }}。请补正。", needs=("reason",))
    rendered = kind.render({"reason": reason})
    assert rendered.inbox == expected and rendered.sms.endswith(expected)
