"""Meeting records (会见记录): every booking with its outcome and violation,
searchable and exportable.

A lawyer sees their own records. Officers see the records of their
centre(s), authority officers those of the centres under them, platform
administrators all; for them each record names the lawyer, the firm and the
licence number. Exports are sensitive reads and are audited.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, NotFound, PermissionDenied
from lvshi.orgs import scope
from lvshi.orgs.models import Organisation, Role

from ..models import CENTRE_KINDS, Booking, BookingStatus
from .lawyers import firm_name
from .slots import centres
from .stats import parse_day

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from lvshi.accounts.models import User

    from ..models import Violation


EXPORT_LIMIT = 10_000
VIOLATION = "violation"  # the status filter for bookings that led to a violation
STAFF_ROLES = (Role.OFFICER, Role.AUTHORITY_OFFICER)
LAWYER, STAFF = "lawyer", "staff"


def status_choices() -> list[tuple[str, str]]:
    return [*BookingStatus.choices, (VIOLATION, _("违约记录"))]  # type: ignore[list-item]


@dataclass(frozen=True)
class RecordFilters:
    status: str = ""
    q: str = ""
    centre_id: int | None = None
    start: date | None = None
    end: date | None = None

    def described(self) -> dict:
        return {
            k: v.isoformat() if isinstance(v, date) else v
            for k, v in (
                ("status", self.status),
                ("q", self.q),
                ("centre", self.centre_id),
                ("from", self.start),
                ("to", self.end),
            )
            if v not in ("", None)
        }

    def query_string(self) -> str:
        from urllib.parse import urlencode

        return urlencode(self.described())


def parse_filters(
    *, status: Any = None, q: Any = None, centre: Any = None, start: Any = None, end: Any = None
) -> RecordFilters:
    """Filters from a query string; a refusal that says what to write otherwise."""
    status = (status or "").strip()
    if status and status not in dict(status_choices()):
        raise DomainError(
            "invalid_status",
            _("状态只能是：%(all)s。") % {"all": "、".join(v for v, _label in status_choices())},
        )
    centre_id = None
    if centre not in (None, ""):
        try:
            centre_id = int(centre)
        except (TypeError, ValueError):
            raise DomainError("invalid_centre", _("机构应为机构编号，请从列表中选择。")) from None
    start_day, end_day = parse_day(start, _("开始日期")), parse_day(end, _("结束日期"))
    if start_day and end_day and start_day > end_day:
        raise DomainError(
            "invalid_range",
            _("开始日期 %(start)s 晚于结束日期 %(end)s，请调换后重试。")
            % {"start": start_day.isoformat(), "end": end_day.isoformat()},
        )
    return RecordFilters(status=status, q=(q or "").strip()[:50], centre_id=centre_id, start=start_day, end=end_day)


def viewer(user: User) -> str:
    """Whose records the user sees: their centres' (staff) or their own (lawyer)."""
    if scope.is_platform_admin(user) or scope.has_role(user, *STAFF_ROLES):
        return STAFF
    if scope.has_role(user, Role.LAWYER):
        return LAWYER
    raise PermissionDenied("forbidden", _("会见记录只对律师、看守所和监所管理部门的工作人员开放。"))


def _staff_q(user: User) -> Q:
    if scope.is_platform_admin(user):
        return Q()
    return scope.org_q(user, *STAFF_ROLES, field="centre")


def centre_choices(user: User) -> QuerySet[Organisation]:
    """Centres to filter by: the public list for lawyers, the user's centres for staff."""
    if viewer(user) == LAWYER:
        return Organisation.objects.filter(pk__in=centres().values("organisation_id")).order_by("name")
    qs = Organisation.objects.filter(kind__in=CENTRE_KINDS)
    if not scope.is_platform_admin(user):
        qs = qs.filter(scope.org_q(user, *STAFF_ROLES, field=None))
    return qs.order_by("name", "pk")


def records(user: User, filters: RecordFilters) -> QuerySet[Booking]:
    """The user's records (see the module) matching *filters*, latest first.
    One query per page whatever the number of rows; the lawyer's firm comes
    from a subquery."""
    mode = viewer(user)
    if mode == LAWYER:
        qs = Booking.objects.filter(lawyer=user)
    else:
        if filters.centre_id is not None and not centre_choices(user).filter(pk=filters.centre_id).exists():
            raise NotFound("not_found", _("未找到该机构，或它不在您的管辖范围内。"))
        qs = Booking.objects.filter(_staff_q(user)).select_related("lawyer").annotate(firm_name=firm_name())
    if filters.status == VIOLATION:
        qs = qs.filter(violation__isnull=False)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.centre_id is not None:
        qs = qs.filter(centre_id=filters.centre_id)
    if filters.start:
        qs = qs.filter(date__gte=filters.start)
    if filters.end:
        qs = qs.filter(date__lte=filters.end)
    if filters.q:
        match = Q(detainee__name__icontains=filters.q)
        if mode == STAFF:
            match |= Q(lawyer__name__icontains=filters.q) | Q(lawyer__licence_no__icontains=filters.q)
        qs = qs.filter(match)
    return qs.select_related("detainee", "centre", "violation").order_by("-date", "-start", "-pk")


def violation_of(booking: Booking) -> Violation | None:
    return getattr(booking, "violation", None)


# --- Excel ---------------------------------------------------------------------------------

COLUMNS = (
    gettext_lazy("会见日期"),
    gettext_lazy("开始时间"),
    gettext_lazy("结束时间"),
    gettext_lazy("机构"),
    gettext_lazy("在押人员"),
    gettext_lazy("会见方式"),
    gettext_lazy("状态"),
    gettext_lazy("原因"),
    gettext_lazy("提交时间"),
    gettext_lazy("违约日期"),
    gettext_lazy("违约状态"),
)
STAFF_COLUMNS = (gettext_lazy("律师"), gettext_lazy("律师事务所"), gettext_lazy("执业证号"))


def _text(value: str) -> str:
    # Text, never a formula, in the reader's spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def workbook_bytes(rows: Iterable[Any], *, staff: bool) -> bytes:  # bookings with firm_name
    book = Workbook()
    sheet = book.active
    sheet.title = _("会见记录")
    sheet.append([str(c) for c in (*COLUMNS, *(STAFF_COLUMNS if staff else ()))])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for b in rows:
        v = violation_of(b)
        values = [
            b.date,
            b.start,
            b.end,
            b.centre.name,
            _text(b.detainee.name),
            str(b.get_room_kind_display()),
            str(b.get_status_display()),
            _text(b.reason),
            timezone.localtime(b.submitted_at).replace(tzinfo=None),
            v.date if v else None,
            str(v.get_status_display()) if v else "",
        ]
        if staff:
            values += [_text(b.lawyer.name), b.firm_name or "", b.lawyer.licence_no or ""]
        sheet.append(values)
    for line in sheet.iter_rows(min_row=2):
        line[0].number_format = "yyyy-mm-dd"
        line[1].number_format = line[2].number_format = "hh:mm"
        line[8].number_format = "yyyy-mm-dd hh:mm:ss"
        line[9].number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def records_export(*, actor: Actor, filters: RecordFilters) -> bytes:
    """The filtered records as a workbook (at most :data:`EXPORT_LIMIT`),
    recorded in the audit trail as a sensitive read."""
    user = actor.user
    qs = records(user, filters)
    count = qs.count()
    if count > EXPORT_LIMIT:
        raise DomainError(
            "export_too_large",
            _("筛选结果有 %(count)d 条，超过一次导出的上限 %(limit)d 条，请缩小日期范围后再导出。")
            % {"count": count, "limit": EXPORT_LIMIT},
        )
    staff = viewer(user) == STAFF
    content = workbook_bytes(qs, staff=staff)
    audit_record(
        action="visits.records_export",
        actor=actor,
        organisation=Organisation.objects.filter(pk=filters.centre_id).first() if filters.centre_id else None,
        object_type="visits.booking",
        after={"filters": filters.described(), "rows": count, "scope": STAFF if staff else LAWYER},
        message=_("导出会见记录 %(count)d 条。") % {"count": count},
    )
    return content
