"""Electronic service (C9): the clerk serves a PDF on a lawyer of the case;
the lawyer signs it with a one-time key sent by SMS, and the signing time
is the time of service, written once; the periods the document starts
(上诉期, 民事诉讼法 第一百七十一条) go onto the lawyer's schedule, their
last day moved past holidays (第八十五条).

The key: 6 digits, valid 10 minutes, used once, 5 tries; asking again
within a minute is refused, and a new key voids the old one."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.calendar import schedule
from lvshi.calendar.workdays import SHANGHAI, local_date
from lvshi.core import crypto
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError
from lvshi.core.text import clean_text
from lvshi.core.uploads import PDF, check_upload, store_upload
from lvshi.notify.services import notify_user
from lvshi.orgs.permissions import require

from .. import deadlines
from ..flows import SERVICE
from ..models import Case, CaseLink, ServedDocument, ServedKind, ServiceStatus, SigningKey

KEY_DIGITS = 6
KEY_MINUTES = 10
KEY_TRIES = 5
KEY_RESEND_SECONDS = 60

# The period a document starts when served: 上诉期 (民事诉讼法 第一百七十一条).
PERIODS = {ServedKind.JUDGMENT: 15, ServedKind.RULING: 10}


def new_key() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(KEY_DIGITS))


def _hash(document: ServedDocument, code: str) -> str:
    return crypto.blind_index(f"{document.pk}:{code}", purpose="signing-key")


def document_serve(
    *, case: Case, actor: Actor, recipient_id: int, kind: str, title: str, upload: Any
) -> ServedDocument:
    require(actor.user, "courts.serve_document", case)
    if kind not in ServedKind.values:
        raise DomainError("kind_invalid", _("请选择文书类型。"))
    title = clean_text(title, field=(ServedDocument, "title"), required=_("请填写文书名称。"))
    link = CaseLink.objects.filter(case=case, lawyer_id=recipient_id).select_related("lawyer").first()
    if link is None:
        raise DomainError("recipient_invalid", _("受送达人须是本案已关联的代理律师，请从列表中选择。"))
    checked = check_upload(upload, label=_("送达文书"), allowed=(PDF,))
    with transaction.atomic():
        document = ServedDocument(
            case=case,
            recipient=link.lawyer,
            kind=kind,
            title=title,
            size=checked.size,
            sha256=checked.sha256,
            served_by=actor.user,
        )
        store_upload(document.file, checked)
        document.save()
        document.notification = notify_user(
            link.lawyer,
            kind="document_served",
            context={"number": case.number, "title": title, "court": case.court.organisation.name},
            url=reverse("courts:document", args=[document.pk]),
        )
        document.save(update_fields=["notification"])
        audit_record(
            action="courts.document_serve",
            actor=actor,
            obj=document,
            organisation=case.court.organisation,
            after={"case": case.number, "recipient": link.lawyer_id, "kind": kind, "sha256": checked.sha256},
        )
    return document


def _own(document: ServedDocument, actor: Actor) -> None:
    require(actor.user, "courts.own_document", document)


def document_open(*, document: ServedDocument, actor: Actor) -> None:
    """The lawyer opened the document's page: the first time is kept for the court."""
    _own(document, actor)
    with transaction.atomic():
        first = ServedDocument.objects.filter(pk=document.pk, opened_at__isnull=True).update(opened_at=timezone.now())
        if first:
            audit_record(action="courts.document_open", actor=actor, obj=document, organisation=document.scope_org)


def key_send(*, document: ServedDocument, actor: Actor, now: datetime | None = None) -> SigningKey:
    """A new key by SMS to the lawyer's mobile; the old one stops working."""
    _own(document, actor)
    now = now or timezone.now()
    if document.status == ServiceStatus.SIGNED:
        raise Conflict("already_signed", _("该文书已签收，可直接下载。"))
    with transaction.atomic():
        # One sender at a time per document: the resend limit holds under double clicks.
        ServedDocument.objects.select_for_update().filter(pk=document.pk).first()
        last = SigningKey.objects.filter(document=document).order_by("-created_at", "-pk").first()
        if last is not None and (now - last.created_at).total_seconds() < KEY_RESEND_SECONDS:
            wait = KEY_RESEND_SECONDS - int((now - last.created_at).total_seconds())
            raise DomainError(
                "key_too_soon",
                _("签收密钥刚刚发送过，请在%(n)d秒后再重新获取。") % {"n": wait},
                status=409,
                details={"retry_after": wait},
            )
        SigningKey.objects.filter(document=document, used_at__isnull=True, voided=False).update(voided=True)
        code = new_key()
        key = SigningKey.objects.create(
            document=document,
            code_hash=_hash(document, code),
            created_at=now,
            expires_at=now + timedelta(minutes=KEY_MINUTES),
        )
        notify_user(
            actor.user,
            kind="document_key",
            context={"code": code, "title": document.title, "minutes": KEY_MINUTES},
            channels=("sms",),
        )
        audit_record(action="courts.document_key", actor=actor, obj=document, organisation=document.scope_org)
    return key


def document_sign(*, document: ServedDocument, actor: Actor, key: str, now: datetime | None = None) -> ServedDocument:
    """Sign with the live key. The key is used and the time of service
    written in one transaction; a wrong key costs a try, which is kept."""
    _own(document, actor)
    now = now or timezone.now()
    code = (key or "").strip()
    if len(code) != KEY_DIGITS or not code.isdigit():
        raise DomainError("key_format", _("签收密钥是短信中的%(n)d位数字。") % {"n": KEY_DIGITS})
    days = PERIODS.get(ServedKind(document.kind))
    last_day = deadlines.period_end(now, days) if days else None
    refusal: DomainError | None = None
    with transaction.atomic():
        live = (
            SigningKey.objects.select_for_update()
            .filter(document=document, used_at__isnull=True, voided=False)
            .order_by("-created_at", "-pk")
            .first()
        )
        if live is None:
            if ServedDocument.objects.filter(pk=document.pk, status=ServiceStatus.SIGNED).exists():
                raise Conflict("already_signed", _("该文书已签收，可直接下载。"))
            raise DomainError("key_missing", _("请先获取签收密钥，密钥将以短信发送到您的手机。"))
        if now >= live.expires_at:
            raise DomainError("key_expired", _("签收密钥已过期（有效期%(n)d分钟），请重新获取。") % {"n": KEY_MINUTES})
        if live.tries >= KEY_TRIES:
            raise DomainError("key_locked", _("签收密钥已输错%(n)d次而失效，请重新获取。") % {"n": KEY_TRIES})
        if not secrets.compare_digest(live.code_hash, _hash(document, code)):
            SigningKey.objects.filter(pk=live.pk).update(tries=F("tries") + 1)
            left = KEY_TRIES - live.tries - 1
            refusal = DomainError(
                "key_wrong",
                _("签收密钥不正确，还可以再试%(n)d次。") % {"n": left}
                if left
                else _("签收密钥已输错%(n)d次而失效，请重新获取。") % {"n": KEY_TRIES},
                details={"tries_left": left},
            )
        else:
            if not SigningKey.objects.filter(pk=live.pk, used_at__isnull=True).update(used_at=now):
                raise Conflict("key_used", _("该签收密钥已使用，请刷新页面查看签收结果。"))
            SERVICE.apply(document, "sign", actor=actor, values={"signed_at": now, "deadline": last_day})
            if last_day is not None:
                _put_on_schedule(document, actor, days or 0, last_day)
    if refusal is not None:
        raise refusal
    return document


def _put_on_schedule(document: ServedDocument, actor: Actor, days: int, last_day: date) -> None:
    start = datetime.combine(last_day, time(9, 0), tzinfo=SHANGHAI)
    text = _("%(number)s %(title)s 上诉期（%(days)d日）届满，送达于%(served)s") % {
        "number": document.case.number,
        "title": document.title,
        "days": days,
        "served": local_date(document.signed_at or timezone.now()).strftime("%Y-%m-%d"),
    }
    schedule.entry_create(actor=actor, start=start, end=start + timedelta(hours=8), text=text[:200], can_attend=True)


def proof_context(document: ServedDocument) -> dict:
    """What the proof of service (送达回证) records."""
    return {
        "document": document,
        "court": document.case.court.organisation.name,
        "method": _("电子送达（平台签收，短信密钥确认）"),
        "site": getattr(settings, "SITE_NAME", "律师服务平台"),
    }
