"""The meetings module's navigation entries and the lawyer's home counters.
Registered from ``VisitsConfig.ready()``."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvshi.calendar.workdays import local_date
from lvshi.site.registry import home_counters, home_todos, nav

from . import bindings, selectors
from .models import BindingStatus, ComplaintStatus
from .selectors import lockout, pages
from .services import complaints


def register() -> None:
    nav.register("book", label=_("我要预约"), url_name="visits:book", permission="visits.book", order=10)
    nav.register("my_bookings", label=_("我的预约"), url_name="visits:my_bookings", permission="visits.book", order=11)
    nav.register("waitlist", label=_("我的候补"), url_name="visits:waitlist", permission="visits.book", order=12)
    nav.register(
        "review_bookings",
        label=_("预约审核"),
        url_name="visits:review_queue",
        permission="visits.review_booking",
        order=12,
    )
    nav.register(
        "visit_records", label=_("会见记录"), url_name="visits:records", permission="visits.view_records", order=16
    )
    nav.register(
        "visit_stats", label=_("会见统计"), url_name="visits:stats", permission="visits.view_statistics", order=32
    )
    nav.register(
        "violations",
        label=_("违约记录"),
        url_name="visits:violations",
        permission="visits.view_own_violations",
        order=14,
    )
    nav.register("appeals", label=_("违约申诉"), url_name="visits:appeals", permission="visits.view_appeals", order=30)
    nav.register("locks", label=_("预约锁定"), url_name="visits:locks", permission="visits.view_appeals", order=31)
    _register_contact()
    _register_centres()
    _register_todos()
    nav.register("bindings", label=_("我的委托"), url_name="visits:bindings", permission="visits.bind", order=11)
    nav.register(
        "binding_queue",
        label=_("委托审核"),
        url_name="visits:binding_queue",
        permission="visits.review_binding",
        order=13,
    )
    # The lawyer's booking counters (V2), each opening its tab of "my bookings".
    for order, (key, label, status, count) in enumerate(
        (
            ("bookings_review", _("预约审核中"), "under_review", "review"),
            ("bookings_upcoming", _("已通过的预约"), "approved", "upcoming"),
            ("bookings_failed", _("未通过的预约"), "rejected", "failed"),
        ),
        start=1,
    ):
        home_counters.register(
            key,
            label=label,
            url_name="visits:my_bookings",
            permission="visits.book",
            order=order * 10,
            query=f"status={status}",
            count=lambda user, count=count: selectors.lawyer_counts(user)[count],
        )


def _register_contact() -> None:
    """Meeting requests, notices and the complaints line."""
    nav.register(
        "meeting_requests",
        label=_("会见要求"),
        url_name="visits:meeting_requests",
        permission="visits.view_meeting_requests",
        order=13,
    )
    nav.register(
        "visit_notices", label=_("通知公告"), url_name="visits:notices", permission="visits.read_notices", order=15
    )
    nav.register(
        "meeting_request_record",
        label=_("会见要求登记"),
        url_name="visits:meeting_request_record",
        permission="visits.record_meeting_request",
        order=16,
    )
    nav.register(
        "complaints_log",
        label=_("投诉登记"),
        url_name="visits:complaints",
        permission="visits.log_complaints",
        order=17,
    )
    nav.register(
        "notice_manage",
        label=_("通知公告"),
        url_name="visits:notice_manage",
        permission="visits.publish_notice",
        order=32,
    )
    nav.register(
        "complaints", label=_("投诉处理"), url_name="visits:complaints", permission="visits.answer_complaints", order=33
    )
    home_counters.register(
        "meeting_requests",
        label=_("会见要求"),
        url_name="visits:meeting_requests",
        permission="visits.view_meeting_requests",
        order=40,
        count=lambda user: selectors.lawyer_counts(user)["requests"],
    )


def _register_centres() -> None:
    """The day board, detainees, rooms and patterns; the authority's centres."""
    nav.register("visit_board", label=_("今日会见"), url_name="visits:board", permission="visits.view_board", order=11)
    nav.register(
        "detainees", label=_("在押人员"), url_name="visits:detainees", permission="visits.manage_detainees", order=17
    )
    nav.register(
        "centre_settings",
        label=_("会见室与时段"),
        url_name="visits:my_centre",
        permission="visits.work_at_centre",
        order=18,
    )
    nav.register(
        "authority_centres",
        label=_("所辖机构"),
        url_name="visits:centres",
        permission="visits.oversee_centres",
        order=29,
    )


def _today():
    return local_date(timezone.now())


def _register_todos() -> None:
    """The staff home page's to-do list: the work waiting, each opening its
    filtered list."""
    home_todos.register(
        "todo_review_bookings",
        label=_("待审核的预约"),
        url_name="visits:review_queue",
        permission="visits.review_booking",
        order=10,
        count=lambda user: pages.review_queue(user).count(),
    )
    home_todos.register(
        "todo_check_in",
        label=_("今日待签到的会见"),
        url_name="visits:board",
        permission="visits.view_board",
        order=20,
        count=lambda user: pages.todo_check_in(user, _today()),
    )
    home_todos.register(
        "todo_review_bindings",
        label=_("待初审的委托"),
        url_name="visits:binding_queue",
        permission="visits.review_binding",
        order=30,
        query=f"status={BindingStatus.PENDING}",
        count=lambda user: bindings.review_counts(user)[BindingStatus.PENDING],
    )
    home_todos.register(
        "todo_appeals",
        label=_("待处理的违约申诉"),
        url_name="visits:appeals",
        permission="visits.view_appeals",
        order=40,
        count=lambda user: lockout.pending_appeals(user).count(),
    )
    home_todos.register(
        "todo_complaints",
        label=_("待处理的投诉"),
        url_name="visits:complaints",
        permission="visits.answer_complaints",
        order=50,
        query=f"status={ComplaintStatus.OPEN}",
        count=lambda user: complaints.filtered(user, status=ComplaintStatus.OPEN).count(),
    )
