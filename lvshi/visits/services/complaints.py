"""The complaints line (律师会见投诉, V16): calls logged until closed.

Officers of a centre, and authority officers for the centres below them,
log each call and follow it through an explicit state machine::

    open ──handle──▶ handling ──answer──▶ answered ──close──▶ closed
                        ▲                     │
                        └──────reopen─────────┘

Each transition names the states it may start from and is one conditional
``UPDATE … WHERE status IN (…)``: a complaint moved meanwhile by someone
else answers 409 and nothing changes. Every step is audited with its before
and after. A complaint not yet answered for more than
:data:`OVERDUE_WORKING_DAYS` working days after the call is overdue.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvshi.accounts.identity import normalize_licence_no
from lvshi.audit.diff import snapshot
from lvshi.audit.services import audit_record
from lvshi.audit.workflow import Transition
from lvshi.calendar.workdays import SHANGHAI, WorkCalendar, local_date
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, PermissionDenied
from lvshi.core.text import clean_text, max_length
from lvshi.notify.services import notify_user
from lvshi.orgs import scope
from lvshi.orgs.models import Organisation, Role

from .. import flows
from ..models import CENTRE_KINDS, Complaint, ComplaintCategory, ComplaintStatus

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from django.db.models import QuerySet

    from lvshi.accounts.models import User


OVERDUE_WORKING_DAYS = 3
EXPORT_LIMIT = 20_000
STAFF = (Role.OFFICER, Role.AUTHORITY_OFFICER)
# Not yet answered: these can become overdue.
UNANSWERED = (ComplaintStatus.OPEN, ComplaintStatus.HANDLING)

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Area code 0 + 2–3 digits (010, 021, 0571…), then 7–8 digits; an optional extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?[1-9]\d{6,7}(-\d{1,6})?$")


FLOW = flows.COMPLAINT
TRANSITIONS = FLOW.by_name


def allowed_transitions(complaint: Complaint) -> list[Transition]:
    return FLOW.allowed(complaint)


# --- validation ----------------------------------------------------------------------


def normalize_phone(raw: str) -> str:
    """A mainland mobile (11 digits, 13–19…) or landline (0 + area code,
    7–8 digits, optional extension) number; spaces are dropped."""
    value = (raw or "").strip().replace(" ", "")
    if value.startswith("+86"):
        value = value[3:]
    if MOBILE_RE.match(value) or LANDLINE_RE.match(value):
        return value
    raise DomainError(
        "phone_invalid",
        _("联系电话格式不正确：请填写11位手机号码，或带区号的固定电话（如 021-12345678）。"),
    )


def _text(value: str, *, code: str, required_message: str, limit: int | None = None) -> str:
    """A text of the complaint, checked against its field *code*; a reason
    stored inside the handling text has its own *limit* instead."""
    if limit is None:
        return clean_text(value, field=(Complaint, code), required=required_message)
    return clean_text(value, field=None, code=code, label=_("原因"), limit=limit, required=required_message)


def lawyer_by_licence(licence_no: str) -> User | None:
    """The lawyer account with this licence number (17 digits)."""
    try:
        value = normalize_licence_no(licence_no)
    except ValidationError as exc:
        raise DomainError("licence_invalid", exc.messages[0]) from exc
    lawyer = (
        get_user_model()
        .objects.filter(licence_no=value, memberships__role=Role.LAWYER, memberships__is_active=True)
        .distinct()
        .first()
    )
    if lawyer is None:
        raise DomainError(
            "lawyer_not_found", _("没有执业证号为 %(no)s 的律师账号，请核对后重新填写，或留空。") % {"no": value}
        )
    return lawyer


def centres_for(user: User) -> QuerySet[Organisation]:
    """Centres and video points whose complaints the user logs and handles."""
    return Organisation.objects.filter(scope.org_q(user, *STAFF, field=None), kind__in=CENTRE_KINDS).order_by("path")


# --- services ------------------------------------------------------------------------------


@transaction.atomic
def complaint_create(
    *,
    actor: Actor,
    centre: Organisation,
    caller_name: str,
    caller_phone: str,
    category: str,
    content: str,
    received_at: datetime | None = None,
    lawyer_licence_no: str = "",
) -> Complaint:
    if centre.kind not in CENTRE_KINDS or not scope.can(actor.user, "visits.handle_complaint", centre):
        raise PermissionDenied(message=_("只能登记本看守所（或本总队下属机构）的投诉。"))
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise DomainError("received_in_future", _("来电时间不能晚于现在，请核对后重新填写。"))
    caller_name = _text(caller_name, code="caller_name", required_message=_("请填写来电人姓名。"))
    phone = normalize_phone(caller_phone)
    if category not in ComplaintCategory.values:
        raise DomainError("category_invalid", _("请选择投诉类别。"))
    content = _text(content, code="content", required_message=_("请填写投诉内容。"))
    lawyer = lawyer_by_licence(lawyer_licence_no) if (lawyer_licence_no or "").strip() else None
    complaint = Complaint(
        centre=centre,
        received_at=received_at,
        caller_name=caller_name,
        caller_phone=phone,
        lawyer=lawyer,
        category=category,
        content=content,
        recorded_by=actor.user,
    )
    complaint.full_clean(exclude=["centre", "lawyer", "recorded_by"])
    complaint.save()
    audit_record(
        action="visits.complaint_create",
        actor=actor,
        obj=complaint,
        organisation=centre,
        after=snapshot(complaint, ["centre", "received_at", "caller_name", "lawyer", "category", "status"]),
    )
    return complaint


def _move(complaint: Complaint, name: str, *, actor: Actor, reason: str = "", **values: Any) -> Complaint:
    FLOW.apply(
        complaint,
        name,
        actor=actor,
        reason=reason,
        values={"updated_at": timezone.now(), **values},
        fields=["handling", "answer", "answered_at", "closed_at"],
    )
    return complaint


@transaction.atomic
def complaint_handle(*, actor: Actor, complaint: Complaint, handling: str) -> Complaint:
    """open → handling, with what is being done."""
    handling = _text(handling, code="handling", required_message=_("请填写处理情况，例如已联系的部门和处理安排。"))
    return _move(complaint, "handle", actor=actor, handling=handling, handled_by=actor.user)


@transaction.atomic
def complaint_answer(*, actor: Actor, complaint: Complaint, answer: str) -> Complaint:
    """handling → answered; a lawyer named in the complaint gets the answer."""
    answer = _text(answer, code="answer", required_message=_("请填写答复内容，即告知来电人的处理结果。"))
    complaint = _move(complaint, "answer", actor=actor, answer=answer, answered_at=timezone.now())
    if complaint.lawyer_id:
        notify_user(
            complaint.lawyer,
            kind="visit_complaint_answered",
            context={
                "date": local_date(complaint.received_at).isoformat(),
                "centre": complaint.centre.name,
                "answer": answer,
            },
            channels=("inbox",),
        )
    return complaint


@transaction.atomic
def complaint_close(*, actor: Actor, complaint: Complaint) -> Complaint:
    """answered → closed."""
    return _move(complaint, "close", actor=actor, closed_at=timezone.now())


@transaction.atomic
def complaint_reopen(*, actor: Actor, complaint: Complaint, reason: str) -> Complaint:
    """answered → handling again, with the reason (kept in the handling text)."""
    reason = _text(
        reason, code="reason", required_message=_("请填写重新处理的原因，例如来电人对答复不满意。"), limit=300
    )
    stamp = timezone.now().astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    handling = f"{complaint.handling}\n{_('重新处理')}（{stamp}）：{reason}".strip()
    if len(handling) > max_length(Complaint, "handling"):
        raise DomainError("handling_too_long", _("处理情况已接近字数上限，请先精简原处理情况。"))
    return _move(complaint, "reopen", actor=actor, reason=reason, handling=handling, answered_at=None)


# --- selectors -----------------------------------------------------------------------------


def overdue_cutoff(today: date, calendar: WorkCalendar | None = None) -> date:
    """The last day of receipt that is overdue on *today*: a complaint
    received on day D is due by the 3rd working day after D, and overdue the
    day after that."""
    calendar = calendar or WorkCalendar()
    calendar.prepare(today - timedelta(days=60), today)
    d = today
    while calendar.add_working_days(d, OVERDUE_WORKING_DAYS) >= today:
        d -= timedelta(days=1)
    return d


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def overdue_q(today: date) -> Q:
    """Unanswered complaints received on or before the cut-off day."""
    cutoff = overdue_cutoff(today)
    return Q(status__in=[s.value for s in UNANSWERED], received_at__lt=_start_of(cutoff + timedelta(days=1)))


def complaints_for(user: User) -> QuerySet[Complaint]:
    """Complaints of the centres in the user's scope, newest first."""
    return Complaint.objects.filter(scope.org_q(user, *STAFF, field="centre")).select_related("centre", "lawyer")


def filtered(
    user: User,
    *,
    status: str = "",
    q: str = "",
    centre_id: int | None = None,
    overdue: bool = False,
    today: date | None = None,
) -> QuerySet[Complaint]:
    """The list as filtered on the page (every filter but the status tab is
    shared with the tab counts)."""
    qs = complaints_for(user)
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(caller_name__icontains=q)
            | Q(caller_phone__icontains=q)
            | Q(content__icontains=q)
            | Q(answer__icontains=q)
        )
    if centre_id:
        qs = qs.filter(centre_id=centre_id)
    if overdue:
        qs = qs.filter(overdue_q(today or local_date(timezone.now())))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-received_at", "-pk")


def status_counts(qs: QuerySet[Any]) -> dict[str, int]:
    """How many of *qs* (not filtered by status) are in each status, one query."""
    rows = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    return {s.value: rows.get(s.value, 0) for s in ComplaintStatus}


def overdue_ids(complaints: Iterable[Complaint], today: date) -> set[int]:
    cutoff = overdue_cutoff(today)
    return {c.pk for c in complaints if c.status in UNANSWERED and local_date(c.received_at) <= cutoff}


# --- export --------------------------------------------------------------------------------

COLUMNS = (
    gettext_lazy("编号"),
    gettext_lazy("来电时间"),
    gettext_lazy("被投诉机构"),
    gettext_lazy("来电人"),
    gettext_lazy("联系电话"),
    gettext_lazy("律师执业证号"),
    gettext_lazy("类别"),
    gettext_lazy("投诉内容"),
    gettext_lazy("状态"),
    gettext_lazy("处理情况"),
    gettext_lazy("答复内容"),
    gettext_lazy("答复时间"),
    gettext_lazy("办结时间"),
    gettext_lazy("超期"),
)


def _local(dt: datetime | None) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if dt else ""


def workbook_bytes(complaints: QuerySet[Complaint], today: date) -> bytes:
    """The complaints as an Excel workbook; text is never read as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("投诉记录"))

    def cell(value: Any) -> Any:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        c = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            c.data_type = "s"
        return c

    sheet.append([cell(str(title)) for title in COLUMNS])
    cutoff = overdue_cutoff(today)
    for c in complaints.iterator(chunk_size=2000):
        late = c.status in UNANSWERED and local_date(c.received_at) <= cutoff
        row = (
            c.pk,
            _local(c.received_at),
            c.centre.name,
            c.caller_name,
            c.caller_phone,
            c.lawyer.licence_no if c.lawyer_id and c.lawyer else "",
            str(ComplaintCategory(c.category).label),
            c.content,
            str(ComplaintStatus(c.status).label),
            c.handling,
            c.answer,
            _local(c.answered_at),
            _local(c.closed_at),
            _("是") if late else "",
        )
        sheet.append([cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def complaints_export(*, actor: Actor, filters: dict) -> tuple[bytes, int]:
    """The filtered list as a workbook; the export itself is audited."""
    if not scope.has_role(actor.user, *STAFF):
        raise PermissionDenied(message=_("只有监所民警可以导出投诉记录。"))
    today = local_date(timezone.now())
    rows = filtered(actor.user, today=today, **filters)
    count = rows.count()
    if count > EXPORT_LIMIT:
        raise DomainError(
            "export_too_large",
            _("筛选结果有 %(count)d 条，超过一次导出的上限 %(limit)d 条，请按机构或状态缩小范围后再导出。")
            % {"count": count, "limit": EXPORT_LIMIT},
        )
    content = workbook_bytes(rows, today)
    grants = [g for g in scope.grants(actor.user) if g.role in STAFF]
    audit_record(
        action="visits.complaints_export",
        actor=actor,
        organisation=Organisation.objects.filter(pk=grants[0].org_id).first() if grants else None,
        after={"filters": {k: v for k, v in filters.items() if v}, "rows": count},
        message=_("导出投诉记录 %(count)d 条。") % {"count": count},
    )
    return content, count
