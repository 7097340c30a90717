"""Court services' navigation entries and home counters. Registered from ``CourtsConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvshi.site.registry import home_counters, home_todos, nav

from . import selectors


def register() -> None:
    for key, label, url_name, order in (
        ("court_filings", _("网上立案"), "courts:filings", 40),
        ("court_cases", _("我的案件"), "courts:cases", 41),
        ("court_fees", _("诉讼费缴纳"), "courts:fees", 42),
        ("court_hearings", _("我的庭审"), "courts:hearings", 43),
        ("court_documents", _("电子送达"), "courts:documents", 44),
        ("court_exchanges", _("证据交换"), "courts:exchanges", 45),
        ("court_threads", _("联系法官"), "courts:threads", 46),
        ("court_reviews", _("网上阅卷"), "courts:file_reviews", 47),
    ):
        nav.register(key, label=label, url_name=url_name, permission="courts.file", order=order)
    for key, label, url_name, permission, order in (
        ("court_workbench", _("法院工作台"), "courts:workbench", "courts.workbench", 5),
        ("court_review", _("立案审查"), "courts:review_queue", "courts.review_filing", 6),
        ("court_case_list", _("本院案件"), "courts:court_cases", "courts.view_court_cases", 7),
        ("court_hearing_list", _("庭审安排"), "courts:court_hearings", "courts.schedule_hearing", 8),
        ("court_fee_list", _("诉讼费"), "courts:court_fees", "courts.adjust_fee", 9),
        ("court_requests", _("庭审冲突申请"), "courts:requests", "courts.decide_request", 10),
        ("court_materials", _("待接收材料"), "courts:court_materials", "courts.receive_material", 11),
        ("court_served", _("送达记录"), "courts:court_documents", "courts.serve_document", 12),
        ("court_exchange_list", _("证据交换"), "courts:court_exchanges", "courts.exchange_evidence", 13),
        ("court_messages", _("律师留言"), "courts:court_threads", "courts.answer_message", 14),
        ("court_review_list", _("阅卷申请"), "courts:court_reviews", "courts.decide_review", 15),
    ):
        nav.register(key, label=label, url_name=url_name, permission=permission, order=order)
    home_counters.register(
        "court_hearings_upcoming",
        label=_("待开庭"),
        url_name="courts:hearings",
        permission="courts.file",
        order=60,
        count=lambda user: selectors.lawyer_hearings(user).count(),
    )
    # The court's queues on the staff home page (C13), as on the workbench.
    for key, label, url_name, permission, query, counter in (
        ("todo_court_filings", _("待审查的网上立案"), "courts:review_queue", "courts.review_filing", "", "filings"),
        (
            "todo_court_filings_overdue",
            _("超过7日未审查的立案"),
            "courts:review_queue",
            "courts.review_filing",
            "overdue=1",
            "filings_overdue",
        ),
        (
            "todo_court_fees_overdue",
            _("逾期未缴的诉讼费"),
            "courts:court_fees",
            "courts.adjust_fee",
            "overdue=1",
            "fees_overdue",
        ),
        (
            "todo_court_hearings_week",
            _("本周庭审"),
            "courts:court_hearings",
            "courts.schedule_hearing",
            "week=1",
            "hearings_week",
        ),
        ("todo_court_requests", _("待处理的庭审冲突申请"), "courts:requests", "courts.decide_request", "", "requests"),
        (
            "todo_court_materials",
            _("待接收的诉讼材料"),
            "courts:court_materials",
            "courts.receive_material",
            "",
            "materials",
        ),
        (
            "todo_court_messages",
            _("待回复的律师留言"),
            "courts:court_threads",
            "courts.answer_message",
            "waiting=1",
            "messages",
        ),
        (
            "todo_court_messages_overdue",
            _("超期未回复的律师留言"),
            "courts:court_threads",
            "courts.answer_message",
            "overdue=1",
            "messages_overdue",
        ),
        ("todo_court_reviews", _("待审批的阅卷申请"), "courts:court_reviews", "courts.decide_review", "", "reviews"),
    ):
        home_todos.register(
            key,
            label=label,
            url_name=url_name,
            permission=permission,
            order=50,
            query=query,
            count=lambda user, counter=counter: selectors.workbench_counts(user)[counter],
        )
