"""Meeting figures: the public daily totals, and the authority's statistics
per centre and day with their Excel export.

Every figure is grouped in the database, so a query count never grows with
the number of bookings or the length of the range. Days are local dates
(Asia/Shanghai): ``Booking.date`` is the meeting's local date already, and
the submission time is turned into its local date before grouping.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import SHANGHAI, today
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, NotFound, PermissionDenied
from lvshi.core.text import StrOrPromise
from lvshi.orgs import permissions, scope
from lvshi.orgs.models import Organisation, Role

from ..models import CENTRE_KINDS, Booking, BookingStatus, SlotLoad, Violation, ViolationStatus

if TYPE_CHECKING:
    from typing import Any

    from django.db.models import QuerySet

    from lvshi.accounts.models import User


TOTALS_DEFAULT_DAYS = 30
TOTALS_MAX_DAYS = 92
STATS_DEFAULT_DAYS = 30
STATS_MAX_DAYS = 366

# A booking that passed review: the meeting is (or was) on the centre's list.
BOOKED = (BookingStatus.APPROVED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


# --- date ranges -------------------------------------------------------------------


def parse_day(value: Any, label: str) -> date | None:
    """An ISO date from a query string, None when empty; a refusal that says
    how to write it otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError(
            "invalid_date",
            _("%(label)s“%(value)s”不是有效日期，请写作 YYYY-MM-DD，例如 2026-10-08。")
            % {"label": label, "value": str(value)[:20]},
        ) from None


def date_range(start: Any, end: Any, *, max_days: int, default_days: int) -> tuple[date, date]:
    """``from``/``to`` of a query (both inclusive). Missing ends default to the
    *default_days* up to today; more than *max_days* days is refused."""
    start = parse_day(start, _("开始日期"))
    end = parse_day(end, _("结束日期"))
    if end is None:
        end = start + timedelta(days=default_days - 1) if start else today()
    if start is None:
        start = end - timedelta(days=default_days - 1)
    if start > end:
        raise DomainError(
            "invalid_range",
            _("开始日期 %(start)s 晚于结束日期 %(end)s，请调换后重试。")
            % {"start": start.isoformat(), "end": end.isoformat()},
        )
    days = (end - start).days + 1
    if days > max_days:
        raise DomainError(
            "range_too_long",
            _("查询范围为 %(days)d 天，一次最多 %(max)d 天，请缩小日期范围后重试。") % {"days": days, "max": max_days},
        )
    return start, end


def _local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The instants that open *start* and close *end* in Asia/Shanghai."""
    return (
        datetime.combine(start, time.min, tzinfo=SHANGHAI),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=SHANGHAI),
    )


# --- public daily totals -----------------------------------------------------------------


def daily_totals(*, start: date, end: date, centre_id: int | None = None) -> list[dict]:
    """Per centre and day: meetings held (completed) and booked (approved,
    completed or no-show). One query; no personal data; days without a
    booked meeting are left out."""
    qs = Booking.objects.filter(date__gte=start, date__lte=end, centre__kind__in=CENTRE_KINDS)
    if centre_id is not None:
        qs = qs.filter(centre_id=centre_id)
    rows = (
        qs.values("centre_id", "centre__name", "date")
        .annotate(
            held=Count("pk", filter=Q(status=BookingStatus.COMPLETED)),
            booked=Count("pk", filter=Q(status__in=[s.value for s in BOOKED])),
        )
        .filter(booked__gt=0)
        .order_by("-date", "centre__name", "centre_id")
    )
    return [
        {
            "centre_id": r["centre_id"],
            "centre": r["centre__name"],
            "date": r["date"],
            "held": r["held"],
            "booked": r["booked"],
        }
        for r in rows
    ]


def public_centre_or_404(centre_id: int) -> Organisation:
    centre = Organisation.objects.filter(pk=centre_id, kind__in=CENTRE_KINDS, is_active=True).first()
    if centre is None:
        raise NotFound("not_found", _("未找到该机构，请从机构列表中选择看守所或远程视频会见点。"))
    return centre


# --- the authority's statistics --------------------------------------------------------


COUNTS = ("submitted", "approved", "rejected", "cancelled", "completed", "no_show", "violations")


@dataclass
class StatRow:
    centre_id: int
    centre: str
    date: date | None = None
    submitted: int = 0
    approved: int = 0
    rejected: int = 0
    cancelled: int = 0
    completed: int = 0
    no_show: int = 0
    violations: int = 0
    taken: int = 0
    capacity: int = 0

    @property
    def utilisation(self) -> float | None:
        """Booked rooms / rooms of the slots that day (from the slot loads)."""
        return self.taken / self.capacity if self.capacity else None

    @property
    def utilisation_percent(self) -> float | None:
        u = self.utilisation
        return None if u is None else round(u * 100, 1)

    def add(self, other: StatRow) -> None:
        for name in (*COUNTS, "taken", "capacity"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Statistics:
    start: date
    end: date
    centre_id: int | None
    rows: list[StatRow] = field(default_factory=list)  # per centre and day
    centres: list[StatRow] = field(default_factory=list)  # per centre
    total: StatRow = field(default_factory=lambda: StatRow(centre_id=0, centre=""))


def may_see_statistics(user: User) -> bool:
    return scope.is_platform_admin(user) or scope.has_role(user, Role.AUTHORITY_OFFICER)


def require_statistics(user: User) -> None:
    if not may_see_statistics(user):
        raise PermissionDenied("forbidden", _("只有监所管理部门的工作人员可以查看会见统计。"))


def _scope_q(user: User) -> Q:
    """Objects whose ``centre`` lies under the user's authority."""
    if scope.is_platform_admin(user):
        return Q()
    return scope.org_q(user, Role.AUTHORITY_OFFICER, field="centre")


def stat_centres(user: User) -> QuerySet[Organisation]:
    """Centres and video points whose figures *user* may see."""
    qs = Organisation.objects.filter(kind__in=CENTRE_KINDS)
    qs = permissions.visible(user, qs, "visits.view_statistics", field=None)
    return qs.order_by("name", "pk")


def statistics(user: User, *, start: date, end: date, centre_id: int | None = None) -> Statistics:
    """Per centre and day of [start, end]: bookings submitted (on that local
    day), approved, rejected, cancelled, completed and no-shows (of meetings
    on that day), violations recorded for that day and the slots'
    utilisation; with a row per centre and a total. Five queries whatever
    the range or the number of bookings."""
    require_statistics(user)
    q = _scope_q(user)
    names = dict(stat_centres(user).values_list("pk", "name"))
    if centre_id is not None:
        if centre_id not in names:
            raise NotFound("not_found", _("未找到该机构，或它不在您管辖的范围内。"))
        q &= Q(centre_id=centre_id)
    rows: dict[tuple[int, date], StatRow] = {}

    def row(centre: int, day: date) -> StatRow:
        key = (centre, day)
        if key not in rows:
            rows[key] = StatRow(centre_id=centre, centre=names.get(centre, ""), date=day)
        return rows[key]

    by_meeting = (
        Booking.objects.filter(q, date__gte=start, date__lte=end)
        .values("centre_id", "date")
        .annotate(
            approved=Count("pk", filter=Q(status__in=[s.value for s in BOOKED])),
            rejected=Count("pk", filter=Q(status=BookingStatus.REJECTED)),
            cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
            completed=Count("pk", filter=Q(status=BookingStatus.COMPLETED)),
            no_show=Count("pk", filter=Q(status=BookingStatus.NO_SHOW)),
        )
        .order_by()
    )
    for r in by_meeting:
        target = row(r["centre_id"], r["date"])
        for name in ("approved", "rejected", "cancelled", "completed", "no_show"):
            setattr(target, name, r[name])

    opens, closes = _local_bounds(start, end)
    by_submission = (
        Booking.objects.filter(q, submitted_at__gte=opens, submitted_at__lt=closes)
        .annotate(day=TruncDate("submitted_at", tzinfo=SHANGHAI))
        .values("centre_id", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in by_submission:
        row(r["centre_id"], r["day"]).submitted = r["n"]

    violations = (
        Violation.objects.filter(q, status=ViolationStatus.ACTIVE, date__gte=start, date__lte=end)
        .values("centre_id", "date")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in violations:
        row(r["centre_id"], r["date"]).violations = r["n"]

    loads = (
        SlotLoad.objects.filter(q, date__gte=start, date__lte=end)
        .values("centre_id", "date")
        .annotate(taken=Sum("taken"), capacity=Sum("capacity"))
        .order_by()
    )
    for r in loads:
        target = row(r["centre_id"], r["date"])
        target.taken, target.capacity = r["taken"] or 0, r["capacity"] or 0

    result = Statistics(start=start, end=end, centre_id=centre_id)
    result.rows = sorted(rows.values(), key=lambda r: (r.date, r.centre, r.centre_id))
    per_centre: dict[int, StatRow] = {}
    for stat in result.rows:
        per_centre.setdefault(stat.centre_id, StatRow(centre_id=stat.centre_id, centre=stat.centre)).add(stat)
        result.total.add(stat)
    result.centres = sorted(per_centre.values(), key=lambda r: (r.centre, r.centre_id))
    return result


# --- Excel ---------------------------------------------------------------------------------

DAY_COLUMNS = (
    gettext_lazy("日期"),
    gettext_lazy("机构"),
    gettext_lazy("提交预约"),
    gettext_lazy("审核通过"),
    gettext_lazy("未通过"),
    gettext_lazy("已取消"),
    gettext_lazy("已会见"),
    gettext_lazy("未到"),
    gettext_lazy("违约"),
    gettext_lazy("已约会见室"),
    gettext_lazy("会见室容量"),
    gettext_lazy("利用率"),
)


def _figures(r: StatRow) -> list:
    return [
        r.submitted,
        r.approved,
        r.rejected,
        r.cancelled,
        r.completed,
        r.no_show,
        r.violations,
        r.taken,
        r.capacity,
        r.utilisation,
    ]


def _sheet(book: Workbook, title: str, headers: Iterable[StrOrPromise], rows: list[list], total: list) -> None:
    sheet = book.create_sheet(title)
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in [*rows, total]:
        sheet.append(values)
    last = sheet.max_row
    for cell in sheet[last]:
        cell.font = Font(bold=True)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
        line[-1].number_format = "0.0%"
    sheet.freeze_panes = "A2"


def workbook_bytes(stats: Statistics) -> bytes:
    """Two sheets: per centre and day, and per centre; each ends with the total."""
    book = Workbook()
    book.remove(book.active)
    total_label = _("合计")
    _sheet(
        book,
        _("按日统计"),
        DAY_COLUMNS,
        [[r.date, r.centre, *_figures(r)] for r in stats.rows],
        [total_label, "", *_figures(stats.total)],
    )
    _sheet(
        book,
        _("按机构汇总"),
        DAY_COLUMNS[1:],
        [[r.centre, *_figures(r)] for r in stats.centres],
        [total_label, *_figures(stats.total)],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def statistics_export(*, actor: Actor, start: date, end: date, centre_id: int | None = None) -> bytes:
    """The statistics as a workbook; the export is recorded as a sensitive read."""
    user = actor.user
    stats = statistics(user, start=start, end=end, centre_id=centre_id)
    content = workbook_bytes(stats)
    audit_record(
        action="visits.statistics_export",
        actor=actor,
        organisation=Organisation.objects.filter(pk=centre_id).first() if centre_id else None,
        object_type="visits.statistics",
        after={
            "from": start.isoformat(),
            "to": end.isoformat(),
            "centre": centre_id,
            "rows": len(stats.rows),
        },
        message=_("导出会见统计 %(start)s 至 %(end)s。") % {"start": start.isoformat(), "end": end.isoformat()},
    )
    return content
