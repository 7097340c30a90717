"""Evidence exchange (C5): the judge sends a set of the case's materials to
some of its lawyers with a deadline; each lawyer gives an opinion per item
(真实性 / 合法性 / 关联性, and a comment), keeps a draft and submits once,
before the deadline. Each lawyer sees only the exchanges sent to them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import SHANGHAI
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError, NotFound
from lvshi.core.text import clean_text
from lvshi.notify.services import notify_users
from lvshi.orgs.permissions import require

from ..models import Case, CaseLink, Exchange, ExchangeItem, ExchangeRecipient, Material, Opinion, Stance

MAX_ITEMS = 100
ASPECTS = ("authenticity", "legality", "relevance")


def exchange_create(
    *,
    case: Case,
    actor: Actor,
    title: str,
    deadline: datetime,
    material_ids: Iterable[int],
    lawyer_ids: Iterable[int],
    note: str = "",
) -> Exchange:
    require(actor.user, "courts.exchange_evidence", case)
    title = clean_text(title, field=(Exchange, "title"), required=_("请填写证据交换的名称。"))
    note = clean_text(note, field=(Exchange, "note"))
    if timezone.is_naive(deadline):
        deadline = deadline.replace(tzinfo=SHANGHAI)
    if deadline <= timezone.now():
        raise DomainError("deadline_past", _("质证截止时间应晚于现在。"))
    materials = list(Material.objects.filter(case=case, pk__in=set(material_ids)).order_by("submitted_at", "pk"))
    if not materials or len(materials) > MAX_ITEMS:
        raise DomainError("items_invalid", _("请从本案材料中选择要交换的证据（1至%(n)d份）。") % {"n": MAX_ITEMS})
    lawyers = list(CaseLink.objects.filter(case=case, lawyer_id__in=set(lawyer_ids)).select_related("lawyer"))
    if not lawyers:
        raise DomainError("recipients_invalid", _("请选择接收证据的代理律师（本案已关联的律师）。"))
    with transaction.atomic():
        exchange = Exchange.objects.create(case=case, title=title, note=note, deadline=deadline, created_by=actor.user)
        ExchangeItem.objects.bulk_create(
            [ExchangeItem(exchange=exchange, material=m, position=n) for n, m in enumerate(materials, start=1)]
        )
        ExchangeRecipient.objects.bulk_create(
            [ExchangeRecipient(exchange=exchange, lawyer=link.lawyer) for link in lawyers]
        )
        audit_record(
            action="courts.exchange_create",
            actor=actor,
            obj=exchange,
            organisation=case.court.organisation,
            after={"materials": [m.pk for m in materials], "lawyers": [link.lawyer_id for link in lawyers]},
        )
        when = timezone.localtime(deadline, SHANGHAI).strftime("%Y-%m-%d %H:%M")
        notify_users(
            [link.lawyer for link in lawyers],
            kind="exchange_sent",
            context={"number": case.number, "title": title, "deadline": when},
            url=reverse("courts:exchange", args=[exchange.pk]),
        )
    return exchange


def _own(recipient: ExchangeRecipient, actor: Actor) -> None:
    require(actor.user, "courts.file")
    if recipient.lawyer_id != actor.user.pk:
        raise NotFound()


def _open(recipient: ExchangeRecipient, now: datetime) -> None:
    if recipient.submitted_at is not None:
        raise Conflict("already_submitted", _("您已提交质证意见，不能再修改。"))
    if now >= recipient.exchange.deadline:
        raise Conflict("exchange_closed", _("质证期限已过，不能再提交或修改意见。"))


def opinions_save(
    *,
    recipient: ExchangeRecipient,
    actor: Actor,
    opinions: Mapping[int, Mapping[str, Any]],
    now: datetime | None = None,
) -> int:
    """Saves the draft: for each item id, any of the three stances and a comment."""
    _own(recipient, actor)
    now = now or timezone.now()
    _open(recipient, now)
    items = {i.pk: i for i in ExchangeItem.objects.filter(exchange_id=recipient.exchange_id)}
    unknown = set(opinions) - set(items)
    if unknown:
        raise DomainError("item_invalid", _("意见中有不属于本次证据交换的证据，请刷新页面后重试。"))
    rows = []
    for item_id, given in opinions.items():
        values: dict[str, str] = {}
        for aspect in ASPECTS:
            value = str(given.get(aspect) or "")
            if value and value not in Stance.values:
                raise DomainError("stance_invalid", _("请从“认可、不认可、部分认可”中选择。"))
            values[aspect] = value
        values["comment"] = clean_text(given.get("comment") or "", field=(Opinion, "comment"))
        rows.append((items[item_id], values))
    with transaction.atomic():
        for item, values in rows:
            Opinion.objects.update_or_create(recipient=recipient, item=item, defaults=values)
        audit_record(
            action="courts.opinions_save",
            actor=actor,
            obj=recipient.exchange,
            organisation=recipient.exchange.scope_org,
            after={"items": sorted(i.pk for i, _v in rows)},
        )
    return len(rows)


def opinions_submit(*, recipient: ExchangeRecipient, actor: Actor, now: datetime | None = None) -> ExchangeRecipient:
    """Submits once: every item needs its three stances."""
    _own(recipient, actor)
    now = now or timezone.now()
    _open(recipient, now)
    items = ExchangeItem.objects.filter(exchange_id=recipient.exchange_id).count()
    complete = (
        Opinion.objects.filter(recipient=recipient).exclude(authenticity="").exclude(legality="").exclude(relevance="")
    )
    if complete.count() < items:
        raise DomainError(
            "opinions_incomplete",
            _("还有%(n)d份证据未对真实性、合法性、关联性全部发表意见，请补全后提交。")
            % {"n": items - complete.count()},
        )
    with transaction.atomic():
        done = ExchangeRecipient.objects.filter(
            pk=recipient.pk, submitted_at__isnull=True, exchange__deadline__gt=now
        ).update(submitted_at=now)
        if not done:
            raise Conflict("already_submitted", _("您已提交质证意见，不能再修改。"))
        audit_record(
            action="courts.opinions_submit",
            actor=actor,
            obj=recipient.exchange,
            organisation=recipient.exchange.scope_org,
        )
    recipient.refresh_from_db()
    return recipient
