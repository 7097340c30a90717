"""Notifications: the inbox row is written in the caller's transaction; SMS
and e-mail are recorded as :class:`Delivery` rows and sent by the worker
after the transaction commits.

    notify_user(lawyer, kind="licence_verified", context={"name": lawyer.name})
    send_sms(mobile="13800138000", template="sms_code", context={"code": "123456"})
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lvshi.core.crypto import decrypt, encrypt
from lvshi.core.errors import DomainError, NotFound

from .flows import DELIVERY
from .kinds import Kind, Rendered, get_kind
from .models import Channel, Delivery, DeliveryStatus, Notification
from .sms import SmsMessage, get_sms_backend

if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any


logger = logging.getLogger(__name__)

CHANNELS = ("inbox", Channel.SMS.value, Channel.EMAIL.value)
MAX_ATTEMPTS = 5
STALE_CLAIM = timedelta(minutes=15)


class DeliveryFailed(Exception):
    """The gateway refused the message; the Delivery row says why."""


def mask_mobile(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 7 else "****"


def mask_email(email: str) -> str:
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def _enqueue_on_commit(*delivery_ids: int) -> None:
    def enqueue() -> None:
        for pk in delivery_ids:
            deliver_task.enqueue(pk)

    if delivery_ids:
        transaction.on_commit(enqueue)


def _delivery(
    *,
    user: Any,
    notification: Notification | None,
    kind: str,
    channel: str,
    to: str,
    subject: str,
    body: str,
    sensitive: bool,
) -> Delivery:
    masked = mask_mobile(to) if channel == Channel.SMS else mask_email(to)
    delivery = Delivery(
        user=user,
        notification=notification,
        kind=kind,
        channel=channel,
        recipient=encrypt(to),
        recipient_masked=masked,
        subject=subject[:200],
        body=body,
        sensitive=sensitive,
    )
    delivery.full_clean(exclude=["user", "notification"])  # both are in hand; skip a query each
    return delivery


def _check_channels(channels: Iterable[str]) -> tuple[str, ...]:
    channels = tuple(channels)
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown or not channels:
        raise ValueError(f"unknown notification channels {unknown!r}; use some of {CHANNELS!r}")
    return channels


def _deliveries_for(
    user: Any, notification: Notification | None, *, kind: Kind, rendered: Rendered, channels: Iterable[str]
) -> list[Delivery]:
    rows = []
    if Channel.SMS in channels:
        if user.mobile:
            rows.append(
                _delivery(
                    user=user,
                    notification=notification,
                    kind=kind.key,
                    channel=Channel.SMS,
                    to=user.mobile,
                    subject="",
                    body=rendered.sms,
                    sensitive=kind.sensitive,
                )
            )
        else:
            logger.info("notify: user %s has no mobile number; SMS %s skipped", user.pk, kind.key)
    if Channel.EMAIL in channels:
        if user.email:
            rows.append(
                _delivery(
                    user=user,
                    notification=notification,
                    kind=kind.key,
                    channel=Channel.EMAIL,
                    to=user.email,
                    subject=rendered.email_subject,
                    body=rendered.email_body,
                    sensitive=kind.sensitive,
                )
            )
        else:
            logger.info("notify: user %s has no e-mail address; e-mail %s skipped", user.pk, kind.key)
    return rows


def _notification(user: Any, *, kind: str, rendered: Rendered, url: str) -> Notification:
    notification = Notification(user=user, kind=kind, title=rendered.title[:200], body=rendered.inbox, url=url[:300])
    notification.full_clean(exclude=["user"])
    return notification


@transaction.atomic
def notify_user(
    user: Any, *, kind: str, context: dict, channels: Iterable[str] = ("inbox", "sms"), url: str = ""
) -> Notification | None:
    """Tell *user* something, through the inbox and/or SMS and e-mail.

    Raises :class:`~lvshi.notify.kinds.UnknownKind` for an unregistered kind and
    :class:`~lvshi.notify.kinds.MissingContext` when the template lacks a value.
    Channels the user has no address for (no e-mail) are skipped.
    Returns the inbox notification, or None when "inbox" is not among the channels.
    """
    channels = _check_channels(channels)
    message_kind = get_kind(kind)
    rendered = message_kind.render(context)
    notification = None
    if "inbox" in channels:
        notification = _notification(user, kind=kind, rendered=rendered, url=url)
        notification.save()
    deliveries = _deliveries_for(user, notification, kind=message_kind, rendered=rendered, channels=channels)
    for delivery in deliveries:
        delivery.save()
    _enqueue_on_commit(*(d.pk for d in deliveries))
    return notification


@transaction.atomic
def notify_users(
    users: Iterable, *, kind: str, context: dict, channels: Iterable[str] = ("inbox", "sms"), url: str = ""
) -> int:
    """The same message to many people (e.g. every lawyer with a booking at a
    centre): a few bulk inserts instead of a few per person. Each person is
    told once even if listed twice. Returns the number of people."""
    channels = _check_channels(channels)
    message_kind = get_kind(kind)
    rendered = message_kind.render(context)
    people = list({u.pk: u for u in users}.values())
    by_user: dict[int, Notification] = {}
    if "inbox" in channels:
        rows = Notification.objects.bulk_create(
            [_notification(u, kind=kind, rendered=rendered, url=url) for u in people], batch_size=500
        )
        by_user = {n.user_id: n for n in rows}
    deliveries = []
    for u in people:
        deliveries += _deliveries_for(u, by_user.get(u.pk), kind=message_kind, rendered=rendered, channels=channels)
    deliveries = Delivery.objects.bulk_create(deliveries, batch_size=500)
    _enqueue_on_commit(*(d.pk for d in deliveries))
    return len(people)


@transaction.atomic
def send_sms(*, mobile: str, template: str, context: dict, user: Any = None) -> Delivery:
    """Send an SMS to a number (for example a code before the person has
    signed in). The message goes out after the current transaction commits."""
    from lvshi.accounts.identity import normalize_mobile

    try:
        to = normalize_mobile(mobile)
    except ValidationError as exc:
        raise DomainError("mobile_invalid", exc.messages[0]) from exc
    kind = get_kind(template)
    rendered = kind.render(context)
    delivery = _delivery(
        user=user,
        notification=None,
        kind=kind.key,
        channel=Channel.SMS,
        to=to,
        subject="",
        body=rendered.sms,
        sensitive=kind.sensitive,
    )
    delivery.save()
    _enqueue_on_commit(delivery.pk)
    return delivery


def delivery_send(*, delivery_id: int) -> str:
    """Claim and send one delivery. Safe to call from several workers at once:
    only the one whose conditional update succeeds sends. Returns the status."""
    now = timezone.now()
    one = Delivery.objects.filter(pk=delivery_id)
    claimed = DELIVERY.apply_many(one, "claim", values={"attempts": F("attempts") + 1, "claimed_at": now})
    if not claimed:
        status = Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
        return status or "missing"

    delivery = Delivery.objects.get(pk=delivery_id)
    try:
        to = decrypt(delivery.recipient)
        if delivery.channel == Channel.SMS:
            get_sms_backend().send_messages([SmsMessage(to=to, body=delivery.body, kind=delivery.kind)])
        else:
            send_mail(delivery.subject, delivery.body, settings.DEFAULT_FROM_EMAIL, [to])
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        DELIVERY.apply_many(one, "fail", values={"last_error": error})
        logger.warning("notify: delivery %s (%s) failed: %s", delivery_id, delivery.channel, error)
        raise DeliveryFailed(error) from exc

    done = {"sent_at": timezone.now(), "last_error": ""}
    if delivery.sensitive:
        done["body"] = ""  # a code has no use once sent; do not keep it
    DELIVERY.apply_many(one, "send", values=done)
    return DeliveryStatus.SENT


@transaction.atomic
def delivery_retry_due(*, now: datetime | None = None, max_attempts: int = MAX_ATTEMPTS) -> int:
    """Queue again what has not gone out: failed deliveries with attempts
    left, and deliveries claimed by a worker that died (claimed long ago).
    Returns how many were queued."""
    now = now or timezone.now()
    DELIVERY.apply_many(
        Delivery.objects.filter(claimed_at__lt=now - STALE_CLAIM),
        "abandon",
        values={"last_error": _("发送进程中断，已重新排队。")},
    )
    due = list(
        Delivery.objects.filter(
            Q(status=DeliveryStatus.FAILED, attempts__lt=max_attempts)
            | Q(status=DeliveryStatus.PENDING, created_at__lt=now - STALE_CLAIM)
        ).values_list("pk", flat=True)
    )
    _enqueue_on_commit(*due)
    return len(due)


@transaction.atomic
def notification_mark_read(*, user: Any, notification_id: int) -> Notification:
    """Mark one of *user*'s notifications read. Another user's → NotFound."""
    try:
        notification = Notification.objects.select_for_update().get(pk=notification_id, user=user)
    except Notification.DoesNotExist:
        raise NotFound("notification_not_found", _("未找到该通知，它可能已被删除。")) from None
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of *user* read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def delivery_requeue(*, delivery_ids: Iterable[int]) -> int:
    """Queue chosen failed deliveries again, whatever their attempt count
    (an administrator's decision). Returns how many were queued."""
    pks = list(
        Delivery.objects.filter(pk__in=list(delivery_ids), status=DeliveryStatus.FAILED).values_list("pk", flat=True)
    )
    _enqueue_on_commit(*pks)
    return len(pks)


@transaction.atomic
def delivery_prune(*, older_than_days: int = 90, now: datetime | None = None) -> int:
    """Delete the records of messages sent more than *older_than_days* ago
    (failed ones stay until someone looks at them). Returns how many."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    deleted, _rows = Delivery.objects.filter(status=DeliveryStatus.SENT, sent_at__lt=cutoff).delete()
    return deleted


# --- background delivery ----------------------------------------------------------

QUEUE = "notify"


@task(queue_name=QUEUE)
def deliver_task(delivery_id: int) -> str:
    """Send one :class:`~lvshi.notify.models.Delivery` on the "notify" queue
    (:func:`delivery_send`). Returns its final status.

    A failure is recorded on the row (status "failed", error text) and raised
    again so the task result shows it too; ``notify_retry`` sends it again.
    """
    return delivery_send(delivery_id=delivery_id)
