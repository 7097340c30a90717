"""Lawyers and their cases (C7): automatic links for agents, binding older
cases with the acceptance notice's query code and password."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.models import Result
from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs.permissions import require

from ..models import Agent, BindAttempt, Case, CaseLink, LinkVia

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=30)
CODE_DIGITS = 12
_PASSWORD_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_query_credentials() -> tuple[str, str]:
    """A fresh query code (12 digits, unique: callers retry on a clash) and
    password (8 characters without the look-alikes 0/O, 1/I)."""
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    password = "".join(secrets.choice(_PASSWORD_CHARS) for _ in range(8))
    return code, password


def set_query_password(case: Case, password: str) -> None:
    case.query_password_hash = make_password(password)


def match_lawyers(agents: list[Agent]) -> None:
    """Set each agent's platform account: the lawyer whose licence number
    and ID number (blind index) both match. Never by name."""
    licences = {a.licence_no for a in agents if a.licence_no and a.id_number_hash}
    if not licences:
        return
    users = get_user_model().objects.filter(licence_no__in=licences, is_active=True)
    by_key = {(u.licence_no, u.id_number_hash): u for u in users}
    for agent in agents:
        agent.lawyer = by_key.get((agent.licence_no, agent.id_number_hash))


def link_agents(case: Case) -> list[int]:
    """Link *case* to every agent's lawyer; returns their user ids."""
    agents = list(case.agents.all())
    match_lawyers(agents)
    Agent.objects.bulk_update(agents, ["lawyer"])
    lawyer_ids = sorted({a.lawyer_id for a in agents if a.lawyer_id})
    CaseLink.objects.bulk_create(
        [CaseLink(case=case, lawyer_id=pk, via=LinkVia.AGENT) for pk in lawyer_ids], ignore_conflicts=True
    )
    return lawyer_ids


def bind_locked_until(user: Any) -> datetime | None:
    attempt = BindAttempt.objects.filter(lawyer=user).first()
    if attempt and attempt.locked_until and attempt.locked_until > timezone.now():
        return attempt.locked_until
    return None


WRONG = _("查询码或密码不正确。请按受理通知书核对后重新输入。")


def case_bind(*, actor: Actor, code: str, password: str) -> Case:
    """Bind a case with the query code and password of its acceptance
    notice. A wrong pair never says which half was wrong; five failures in a
    row lock binding for 30 minutes; every attempt is audited."""
    require(actor.user, "courts.file")
    lawyer = actor.user
    code, password = (code or "").strip(), (password or "").strip().upper()
    if not code or not password:
        raise DomainError("code_required", _("请输入受理通知书上的查询码和密码。"))
    now = timezone.now()
    with transaction.atomic():
        attempt, _created = BindAttempt.objects.select_for_update().get_or_create(lawyer=lawyer)
        if attempt.locked_until and attempt.locked_until > now:
            outcome = "locked"
        else:
            case = Case.objects.select_related("court__organisation").filter(query_code=code[:CODE_DIGITS]).first()
            if case is not None and check_password(password, case.query_password_hash):
                attempt.failures, attempt.locked_until = 0, None
                attempt.save(update_fields=["failures", "locked_until"])
                CaseLink.objects.get_or_create(case=case, lawyer=lawyer, defaults={"via": LinkVia.CODE})
                audit_record(
                    action="courts.case_bind",
                    actor=actor,
                    obj=case,
                    organisation=case.court.organisation,
                    after={"lawyer": lawyer.pk},
                )
                return case
            attempt.failures += 1
            attempt.locked_until = None
            if attempt.failures >= MAX_FAILURES:
                attempt.failures, attempt.locked_until = 0, now + LOCK_FOR
            attempt.save(update_fields=["failures", "locked_until"])
            outcome = "wrong_now_locked" if attempt.locked_until else "wrong"
        audit_record(
            action="courts.case_bind",
            actor=actor,
            object_type="courts.case",
            object_repr=code[:CODE_DIGITS],
            result=Result.DENIED,
            message=outcome,
        )
        locked = attempt.locked_until if outcome != "wrong" else None
    if locked is not None:
        raise DomainError(
            "bind_locked",
            _("查询码或密码连续输错%(n)d次，案件绑定已锁定至%(until)s，请届时再试，或持受理通知书联系法院。")
            % {"n": MAX_FAILURES, "until": timezone.localtime(locked).strftime("%H:%M")},
            status=429,
        )
    raise DomainError("bind_failed", WRONG)
