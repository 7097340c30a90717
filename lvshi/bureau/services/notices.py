"""Announcements and messages between bodies (A9)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.core.text import clean_text
from lvshi.orgs.models import Organisation, OrgKind
from lvshi.orgs.permissions import require

from ..inputs import as_int
from ..models import Announcement, AnnouncementRead, BodyMessage

BODY_KINDS = (OrgKind.JUSTICE_BUREAU, OrgKind.BAR_ASSOCIATION)


def announcement_publish(*, actor: Actor, body: Organisation, title: Any, text: Any) -> Announcement:
    require(actor.user, "bureau.publish", body)
    notice = Announcement(
        body=body,
        created_by=actor.user,
        title=clean_text(title, field=(Announcement, "title"), required=_("请填写标题。")),
        text=clean_text(text, field=(Announcement, "text"), required=_("请填写内容。"), limit=10000),
    )
    with transaction.atomic():
        notice.save()
        audit_record(
            action="bureau.announcement_publish",
            actor=actor,
            obj=notice,
            organisation=body,
            after={"title": notice.title},
        )
    return notice


def announcement_read(*, actor: Actor, announcement: Announcement, organisation: Organisation) -> bool:
    """Keep the read receipt (once); True the first time."""
    require(actor.user, "bureau.read_notices")
    try:
        with transaction.atomic():
            AnnouncementRead.objects.create(announcement=announcement, user=actor.user, organisation=organisation)
    except IntegrityError:
        return False
    return True


def _top(org: Organisation) -> str:
    return "/" + org.path.strip("/").split("/")[0] + "/"


def message_send(*, actor: Actor, sender: Organisation, recipient_id: Any, subject: Any, text: Any) -> BodyMessage:
    require(actor.user, "bureau.publish", sender)
    recipient = Organisation.objects.filter(pk=as_int(recipient_id), kind__in=BODY_KINDS, is_active=True).first()
    if recipient is None or recipient.pk == sender.pk or not recipient.path.startswith(_top(sender)):
        raise DomainError(
            "recipient_unknown", _("请选择本省的另一个司法行政机关或律师协会。"), details={"field": "recipient"}
        )
    message = BodyMessage(
        sender=sender,
        recipient=recipient,
        sent_by=actor.user,
        subject=clean_text(subject, field=(BodyMessage, "subject"), required=_("请填写主题。")),
        text=clean_text(text, field=(BodyMessage, "text"), required=_("请填写内容。"), limit=5000),
    )
    with transaction.atomic():
        message.save()
        audit_record(
            action="bureau.message_send",
            actor=actor,
            obj=message,
            organisation=sender,
            after={"recipient": recipient.name, "subject": message.subject},
        )
    return message


def message_read(*, actor: Actor, message: BodyMessage) -> None:
    """The first reader at the recipient body marks it read."""
    require(actor.user, "bureau.publish", message.recipient)
    BodyMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now(), read_by=actor.user)


def recipients(sender: Organisation) -> list[Organisation]:
    qs = Organisation.objects.filter(path__startswith=_top(sender), kind__in=BODY_KINDS, is_active=True)
    return list(qs.exclude(pk=sender.pk).order_by("path"))
