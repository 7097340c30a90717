"""Exports to Excel (A10, A11): what the reader may see, as the list shows
it, formula-escaped (``core.xlsx``); each export is recorded in the audit
log with its filters and row count."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from lvshi.core.text import StrOrPromise

from . import selectors

EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class Export:
    title: StrOrPromise
    permission: str
    columns: tuple[StrOrPromise, ...]
    rows: Callable[[Any, dict[str, str]], Iterable[Sequence[Any]]]


def _lawyers(user: Any, f: dict[str, str]) -> Iterable[Sequence[Any]]:
    qs = selectors.lawyers(user, q=f.get("q", ""), status=f.get("status", ""), kind=f.get("kind", ""))
    for lw in qs[:EXPORT_LIMIT].iterator(chunk_size=2000):
        yield (
            lw.licence_no,
            lw.name,
            lw.get_gender_display(),
            lw.id_number_masked,
            lw.get_kind_display(),
            lw.get_status_display(),
            lw.organisation.name,
            lw.first_licensed_on,
        )


def _firms(user: Any, f: dict[str, str]) -> Iterable[Sequence[Any]]:
    for firm in selectors.firms(user, q=f.get("q", ""), status=f.get("status", ""))[:EXPORT_LIMIT]:
        parent = firm.organisation.parent
        yield (
            firm.organisation.name,
            firm.credit_code,
            firm.get_form_display(),
            firm.get_status_display(),
            firm.head,
            parent.name if parent else "",
            getattr(firm, "lawyer_count", 0),
        )


def _applications(user: Any, f: dict[str, str]) -> Iterable[Sequence[Any]]:
    qs = selectors.applications(user, tab="all", business=f.get("business", ""), q=f.get("q", ""))
    for a in qs[:EXPORT_LIMIT]:
        yield (
            a.number or "",
            a.get_business_display(),
            a.organisation.name,
            a.lawyer.name if a.lawyer else "",
            a.get_status_display(),
            a.body.name if a.body else "",
            a.due_on,
            a.submitted_at,
            a.decided_at,
        )


def _complaints(user: Any, f: dict[str, str]) -> Iterable[Sequence[Any]]:
    for c in selectors.complaints(user, status=f.get("status", ""), q=f.get("q", ""))[:EXPORT_LIMIT]:
        yield (
            c.received_on,
            c.body.name,
            c.complainant,
            c.lawyer.name if c.lawyer else "",
            c.firm.name,
            c.get_status_display(),
            c.first_opinion,
        )


def _reports(user: Any, f: dict[str, str]) -> Iterable[Sequence[Any]]:
    from .models.reports import ITEM_KEYS

    for r in selectors.reports(user, status=f.get("status", ""), period=f.get("period", ""))[:EXPORT_LIMIT]:
        yield (
            r.period,
            r.organisation.name,
            r.body.name,
            r.get_status_display(),
            *(r.values.get(k, 0) for k in ITEM_KEYS),
        )


def _report_columns() -> tuple[StrOrPromise, ...]:
    from .models import ITEMS

    return (_("期间"), _("律师事务所"), _("主管机关"), _("状态"), *(label for _k, label in ITEMS))


EXPORTS: dict[str, Export] = {
    "lawyers": Export(
        _("律师名册"),
        "bureau.view_registry",
        (
            _("执业证号"),
            _("姓名"),
            _("性别"),
            _("身份证号码"),
            _("律师类别"),
            _("执业状态"),
            _("执业机构"),
            _("首次执业日期"),
        ),
        _lawyers,
    ),
    "firms": Export(
        _("律师事务所"),
        "bureau.view_registry",
        (_("名称"), _("统一社会信用代码"), _("组织形式"), _("状态"), _("负责人"), _("主管机关"), _("执业律师")),
        _firms,
    ),
    "applications": Export(
        _("业务申请"),
        "bureau.view_application",
        (
            _("编号"),
            _("业务"),
            _("申请单位"),
            _("律师"),
            _("状态"),
            _("办理机关"),
            _("办理期限"),
            _("提交时间"),
            _("办结时间"),
        ),
        _applications,
    ),
    "complaints": Export(
        _("投诉"),
        "bureau.view_complaints",
        (_("收到日期"), _("受理机关"), _("投诉人"), _("被投诉律师"), _("律师事务所"), _("状态"), _("初步处理意见")),
        _complaints,
    ),
    "reports": Export(_("工作报表"), "bureau.view_reports", _report_columns(), _reports),
}
