"""Applications (A3): a firm fills and submits; the body of each step of
the business type's route receives (noting the paper originals), returns
with a coded reason, forwards up, or decides. Each step is a conditional
UPDATE of the declared workflow (a lost race changes nothing), keeps its
record (who, when, which body, the opinion) and moves the clock; an
approval changes the registry in the same transaction."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import WorkCalendar, local_date
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError
from lvshi.core.text import clean_text
from lvshi.orgs.models import Organisation, OrgKind
from lvshi.orgs.permissions import require

from .. import business, routes
from ..flows import APPLICATION
from ..inputs import as_int
from ..models import (
    Application,
    ApplicationReturnCode,
    ApplicationStatus,
    ApplicationStep,
    Business,
    Lawyer,
    LawyerStatus,
)
from ..models import StepAction as S
from ..notifications import tell_org
from . import effects

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _today() -> date:
    return local_date(timezone.now())


def _cal() -> WorkCalendar:
    return WorkCalendar(None)


def _lawyer(application_org: Organisation, lawyer_id: Any) -> Lawyer:
    lawyer = Lawyer.objects.filter(pk=as_int(lawyer_id), organisation=application_org).first()
    if lawyer is None:
        raise DomainError("lawyer_unknown", _("请选择本所的一名律师。"), details={"field": "lawyer"})
    if lawyer.status == LawyerStatus.CANCELLED:
        raise Conflict("lawyer_cancelled", _("该律师的执业证已注销，不能办理此项业务。"))
    return lawyer


def _year(value: Any) -> int:
    year = as_int(value)
    this_year = _today().year
    if not this_year - 5 <= year <= this_year:
        raise DomainError(
            "year_invalid",
            _("考核年度应在%(a)d年至%(b)d年之间。") % {"a": this_year - 5, "b": this_year},
            details={"field": "year"},
        )
    return year


def application_create(
    *,
    actor: Actor,
    organisation: Organisation,
    business_type: str,
    data: Mapping[str, Any] | None,
    lawyer_id: Any = None,
    year: Any = None,
) -> Application:
    """A draft application of *organisation* (a firm; a bureau for a firm
    to be established)."""
    if business_type not in Business.values:
        raise DomainError("business_invalid", _("请选择业务类型。"), details={"field": "business"})
    if (business_type == Business.FIRM_ESTABLISH) != (organisation.kind == OrgKind.JUSTICE_BUREAU):
        raise DomainError(
            "business_applicant",
            _("律师事务所设立申请由市司法局登记；其他业务由律师事务所提出。"),
            details={"field": "business"},
        )
    draft = Application(business=business_type, organisation=organisation, created_by=actor.user)
    require(actor.user, "bureau.apply", draft)
    form = business.FORMS[business_type]
    cleaned = business.clean_data(business_type, data)
    draft.data = cleaned
    if form.lawyer:
        draft.lawyer = _lawyer(organisation, lawyer_id)
    if form.yearly:
        draft.year = _year(year)
    routes.bodies(organisation, routes.ROUTES[business_type])  # refuse now if no body can handle it
    try:
        with transaction.atomic():
            draft.save()
            audit_record(action="bureau.application_create", actor=actor, obj=draft, after={"business": business_type})
    except IntegrityError as exc:
        raise Conflict("application_open", _("同一业务已有未办结的申请，请在“业务申请”中继续办理该申请。")) from exc
    return draft


def application_update(*, application: Application, actor: Actor, data: Mapping[str, Any] | None) -> Application:
    require(actor.user, "bureau.own_application", application)
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED):
        raise Conflict("not_editable", _("申请已提交，办理机关退回后才能修改。"))
    cleaned = business.clean_data(application.business, data)
    with transaction.atomic():
        updated = Application.objects.filter(
            pk=application.pk, status__in=[ApplicationStatus.DRAFT, ApplicationStatus.RETURNED]
        ).update(data=cleaned)
        if not updated:
            raise Conflict("not_editable", _("申请已提交，办理机关退回后才能修改。"))
        audit_record(action="bureau.application_update", actor=actor, obj=application)
    application.data = cleaned
    return application


def _step(application: Application, action: str, actor: Actor, body: Organisation | None, **fields: Any) -> None:
    if body is None:  # every step but a draft's has its body
        raise Conflict("no_competent_body", _("未找到办理该申请的机关，请联系市司法局。"))
    ApplicationStep.objects.create(application=application, action=action, body=body, actor=actor.user, **fields)


def _tell_body(application: Application, body: Organisation, key: str) -> None:
    context = {
        "number": application.number,
        "business": application.get_business_display(),
        "applicant": application.organisation.name,
    }
    tell_org(body, key, context, url=reverse("bureau:application", args=[application.pk]))


def application_submit(*, application: Application, actor: Actor) -> Application:
    """Submit a draft, or resubmit a returned application to the body that returned it."""
    today, cal = _today(), _cal()
    body: Organisation | None = application.body
    step = application.step
    if application.status == ApplicationStatus.DRAFT:
        body, step = routes.bodies(application.organisation, routes.route_of(application))[0], 0
    if body is None:
        raise Conflict("no_competent_body", _("未找到受理该业务的机关，请联系市司法局。"))
    values = {
        "body": body,
        "step": step,
        "due_on": routes.due_after(today, routes.RECEIVE_DAYS, cal),
        "submitted_at": timezone.now(),
        "originals_received_at": None,
    }
    with transaction.atomic():
        APPLICATION.apply(application, "submit", actor=actor, values=values, organisation=application.organisation)
        if not application.number:
            application.number = f"SQ{today:%Y}{application.pk:07d}"
            Application.objects.filter(pk=application.pk).update(number=application.number)
        _step(application, S.SUBMIT, actor, application.organisation)
        transaction.on_commit(lambda: _tell_body(application, body, "application_submitted"))
    return application


def application_withdraw(*, application: Application, actor: Actor) -> Application:
    with transaction.atomic():
        APPLICATION.apply(
            application, "withdraw", actor=actor, values={"due_on": None}, organisation=application.organisation
        )
        _step(application, S.WITHDRAW, actor, application.organisation)
    return application


def application_receive(*, application: Application, actor: Actor, originals: bool, opinion: str = "") -> Application:
    """The step's body receives it: its clock starts (or goes on after a return)."""
    opinion = clean_text(opinion, field=(ApplicationStep, "opinion"))
    today, cal = _today(), _cal()
    days = routes.route_of(application).steps[application.step].days
    values: dict[str, Any] = {
        "clock_since": today,
        "due_on": routes.due_after(today, days - application.clock_used, cal),
    }
    if originals:
        values["originals_received_at"] = timezone.now()
    if not application.receipt_code:
        values["receipt_code"] = "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(10))
    with transaction.atomic():
        APPLICATION.apply(
            application, "receive", actor=actor, values=values, message=opinion, details={"originals": originals}
        )
        _step(application, S.RECEIVE, actor, application.body, opinion=opinion, originals=originals)
    return application


def _used(application: Application) -> int:
    since = application.clock_since
    return application.clock_used + (routes.used_since(since, _today(), _cal()) if since else 0)


def application_return(*, application: Application, actor: Actor, code: str, reason: str) -> Application:
    """Back to the firm with a coded reason: the clock stops."""
    if code not in ApplicationReturnCode.values:
        raise DomainError("return_code_invalid", _("请选择退回原因。"), details={"field": "code"})
    used = _used(application)
    body = application.body
    with transaction.atomic():
        APPLICATION.apply(
            application,
            "return",
            actor=actor,
            reason=reason,
            values={"clock_used": used, "clock_since": None, "due_on": None, "return_code": code},
            details={"code": code},
        )
        _step(application, S.RETURN, actor, body, opinion=application_reason(reason), return_code=code, days=used)
        transaction.on_commit(lambda: _tell_applicant(application, "application_returned", reason))
    return application


def application_reason(reason: str) -> str:
    return clean_text(reason, field=(ApplicationStep, "opinion"))


def application_forward(*, application: Application, actor: Actor, opinion: str) -> Application:
    """Examined and agreed: the opinion and the file go up to the next step's body."""
    opinion = clean_text(opinion, field=(ApplicationStep, "opinion"), required=_("请填写审查意见。"))
    route = routes.route_of(application)
    bodies = routes.bodies(application.organisation, route)
    nxt = application.step + 1
    if nxt >= len(bodies):
        raise Conflict("decide_here", _("该业务由本机关作出决定，无需报送上级：请批准或不予批准。"))
    used, body = _used(application), application.body
    values = {
        "step": nxt,
        "body": bodies[nxt],
        "clock_used": 0,
        "clock_since": None,
        "originals_received_at": None,
        "due_on": routes.due_after(_today(), routes.RECEIVE_DAYS, _cal()),
    }
    with transaction.atomic():
        APPLICATION.apply(application, "forward", actor=actor, values=values, message=opinion)
        _step(application, S.FORWARD, actor, body, opinion=opinion, days=used)
        transaction.on_commit(lambda: _tell_body(application, bodies[nxt], "application_forwarded"))
    return application


def application_approve(*, application: Application, actor: Actor, opinion: str) -> Application:
    """Approved: the registry changes in the same transaction, or nothing does."""
    opinion = clean_text(opinion, field=(ApplicationStep, "opinion"), required=_("请填写审核意见。"))
    used, body = _used(application), application.body
    try:
        with transaction.atomic():
            APPLICATION.apply(
                application,
                "approve",
                actor=actor,
                message=opinion,
                values={"decided_at": timezone.now(), "due_on": None, "clock_since": None, "clock_used": used},
            )
            effects.apply(application, actor=actor)
            _step(application, S.APPROVE, actor, body, opinion=opinion, days=used)
            transaction.on_commit(lambda: _tell_applicant(application, "application_approved", opinion))
    except IntegrityError as exc:  # a licence number, credit code or name taken meanwhile: nothing changed
        application.refresh_from_db()
        raise Conflict(
            "registry_conflict",
            _("名册中刚有了相同的执业证号、统一社会信用代码或名称，未作任何更改，请核实后重新批准。"),
        ) from exc
    return application


def application_refuse(*, application: Application, actor: Actor, reason: str) -> Application:
    used, body = _used(application), application.body
    with transaction.atomic():
        APPLICATION.apply(
            application,
            "refuse",
            actor=actor,
            reason=reason,
            values={"decided_at": timezone.now(), "due_on": None, "clock_since": None, "clock_used": used},
        )
        _step(application, S.REFUSE, actor, body, opinion=application_reason(reason), days=used)
        transaction.on_commit(lambda: _tell_applicant(application, "application_refused", reason))
    return application


def _tell_applicant(application: Application, key: str, text: str) -> None:
    context = {"number": application.number, "business": application.get_business_display(), "text": text}
    tell_org(application.organisation, key, context, url=reverse("bureau:application", args=[application.pk]))
