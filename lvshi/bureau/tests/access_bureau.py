"""Access rules of lawyer administration's pages and API (see tests/access.py).

The persona is the Shanghai bureau's clerk (``world.bureau_clerk``): their
objects belong to ``world.firm``, the others' to ``world.other_firm`` in
Shenzhen. Applications are annual inspections, which the city bureau
decides alone."""

from __future__ import annotations

from tests.access import API_TOKEN, LOGIN, PUBLIC, Access

from .builders import (
    NOT_ADMIN,
    an_import,
    application,
    case,
    complaint,
    complaint_body,
    correction,
    correction_body,
    firm_of,
    import_body,
    lawyer,
    message,
    notice,
    report,
    scoped,
)

PAGES = {
    "bureau:lawyers": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:lawyer": Access(LOGIN, **scoped(lawyer("firm"), lawyer("other_firm"))),
    "bureau:lawyer_photo": Access(LOGIN, method="post", **scoped(lawyer("firm"), lawyer("other_firm"))),
    "bureau:lawyer_photo_file": Access(LOGIN, **scoped(lawyer("firm", photo=True), lawyer("other_firm", photo=True))),
    "bureau:lawyer_background": Access(
        LOGIN,
        method="post",
        body=lambda world: {"kind": "education", "place": "中山大学"},
        **scoped(lawyer("firm"), lawyer("other_firm")),
    ),
    "bureau:firms": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:firm": Access(LOGIN, **scoped(firm_of("firm"), firm_of("other_firm"))),
    "bureau:applications": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:application_new": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:application": Access(LOGIN, **scoped(application("firm"), application("other_firm"))),
    "bureau:application_edit": Access(
        LOGIN,
        persona="firm_admin@firm",
        mine=application("firm", status="draft"),
        theirs=application("other_firm", status="draft"),
        denied=NOT_ADMIN,
    ),
    "bureau:receipt": Access(LOGIN, **scoped(application("firm"), application("other_firm"))),
    "bureau:application_step": Access(
        LOGIN,
        method="post",
        **scoped(application("firm", step="receive"), application("other_firm", step="receive")),
    ),
    "bureau:imports": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:import": Access(LOGIN, **scoped(an_import("firm"), an_import("other_firm"))),
    "bureau:import_confirm": Access(LOGIN, method="post", **scoped(an_import("firm"), an_import("other_firm"))),
    "bureau:import_template": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:reports": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:report_new": Access(LOGIN, denied=(*NOT_ADMIN, "bureau_clerk")),
    "bureau:report": Access(LOGIN, **scoped(report("firm"), report("other_firm"))),
    "bureau:report_step": Access(
        LOGIN,
        method="post",
        **scoped(
            lambda w: {**report("firm")(w), "step": "accept"}, lambda w: {**report("other_firm")(w), "step": "accept"}
        ),
    ),
    "bureau:report_sums": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:cases": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:case_new": Access(LOGIN, denied=(*NOT_ADMIN, "bureau_clerk")),
    "bureau:case": Access(LOGIN, **scoped(case("firm"), case("other_firm"))),
    "bureau:case_close": Access(
        LOGIN,
        method="post",
        body=lambda world: {"closed_on": "2026-02-01"},
        persona="firm_admin@firm",
        mine=case("firm"),
        theirs=case("other_firm"),
        denied=NOT_ADMIN,
    ),
    "bureau:letter_new": Access(
        LOGIN,
        method="post",
        body=lambda world: {"kind": "investigation", "recipient": "某单位", "days": 10},
        persona="firm_admin@firm",
        mine=case("firm"),
        theirs=case("other_firm"),
        denied=NOT_ADMIN,
    ),
    "bureau:letter_pdf": Access(LOGIN, **scoped(case("firm", letter=True), case("other_firm", letter=True))),
    "bureau:letter_revoke": Access(
        LOGIN,
        method="post",
        persona="firm_admin@firm",
        mine=case("firm", letter=True),
        theirs=case("other_firm", letter=True),
        denied=NOT_ADMIN,
    ),
    "bureau:complaints": Access(LOGIN, denied=(*NOT_ADMIN, "firm_admin@firm")),
    "bureau:complaint_new": Access(LOGIN, denied=(*NOT_ADMIN, "firm_admin@firm")),
    "bureau:complaint": Access(LOGIN, **scoped(complaint("firm"), complaint("other_firm"))),
    "bureau:complaint_action": Access(
        LOGIN,
        method="post",
        body=lambda world: {"text": "调查中"},
        **scoped(
            lambda w: {**complaint("firm")(w), "action": "step"},
            lambda w: {**complaint("other_firm")(w), "action": "step"},
        ),
    ),
    "bureau:evidence": Access(
        LOGIN, **scoped(complaint("firm", evidence=True), complaint("other_firm", evidence=True))
    ),
    "bureau:penalties": Access(LOGIN, denied=(*NOT_ADMIN, "firm_admin@firm")),
    "bureau:penalty": Access(LOGIN, **scoped(complaint("firm", penalty=True), complaint("other_firm", penalty=True))),
    "bureau:corrections": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:correction_new": Access(LOGIN, denied=(*NOT_ADMIN, "bureau_clerk")),
    "bureau:correction": Access(LOGIN, **scoped(correction("firm"), correction("other_firm"))),
    "bureau:correction_step": Access(
        LOGIN,
        method="post",
        body=lambda world: {"opinion": "同意"},
        **scoped(
            lambda w: {**correction("firm")(w), "step": "approve"},
            lambda w: {**correction("other_firm")(w), "step": "approve"},
        ),
    ),
    "bureau:correction_file": Access(
        LOGIN, **scoped(correction("firm", file=True), correction("other_firm", file=True))
    ),
    "bureau:bar_affairs": Access(LOGIN, denied=(*NOT_ADMIN, "bureau_clerk")),
    "bureau:monitor": Access(LOGIN, denied=(*NOT_ADMIN, "firm_admin@firm")),
    "bureau:notices": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:notice": Access(
        LOGIN, persona="firm_admin@firm", mine=notice("sh_bureau"), theirs=notice("sz_bureau"), denied=NOT_ADMIN
    ),
    "bureau:messages": Access(LOGIN, denied=(*NOT_ADMIN, "firm_admin@firm")),
    "bureau:message": Access(LOGIN, **scoped(message("sh_bureau"), message("sz_bureau"))),
    "bureau:search": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:export": Access(LOGIN, denied=NOT_ADMIN),
    "lookup:letter": Access(PUBLIC),
    "lookup:lookup": Access(PUBLIC),
    "lookup:progress": Access(PUBLIC),
}


def _step(step: str, body=None):
    return Access(
        API_TOKEN,
        method="post",
        body=body,
        **scoped(
            application("firm", status="received" if step != "receive" else "submitted"),
            application("other_firm", status="received"),
        ),
    )


API = {
    "GET /api/v1/bureau/exports": Access(API_TOKEN, body=lambda world: {"of": "lawyers"}, denied=NOT_ADMIN),
    "GET /api/v1/bureau/corrections": Access(API_TOKEN, denied=NOT_ADMIN),
    "POST /api/v1/bureau/corrections": Access(
        API_TOKEN, method="post", body=correction_body, denied=(*NOT_ADMIN, "bureau_clerk")
    ),
    "POST /api/v1/bureau/corrections/{correction_id}/approve": Access(
        API_TOKEN, method="post", body=lambda world: {}, **scoped(correction("firm"), correction("other_firm"))
    ),
    "POST /api/v1/bureau/corrections/{correction_id}/forward": Access(API_TOKEN, method="post"),
    "POST /api/v1/bureau/corrections/{correction_id}/reject": Access(
        API_TOKEN,
        method="post",
        body=lambda world: {"reason": "不属实"},
        **scoped(correction("firm"), correction("other_firm")),
    ),
    "GET /api/v1/bureau/complaints": Access(API_TOKEN, denied=(*NOT_ADMIN, "firm_admin@firm")),
    "POST /api/v1/bureau/complaints": Access(
        API_TOKEN,
        method="post",
        denied=(*NOT_ADMIN, "firm_admin@firm"),
        body=complaint_body,
    ),
    "GET /api/v1/bureau/complaints/{complaint_id}": Access(
        API_TOKEN, **scoped(complaint("firm"), complaint("other_firm"))
    ),
    "POST /api/v1/bureau/complaints/{complaint_id}/steps": Access(
        API_TOKEN,
        method="post",
        body=lambda world: {"text": "调查中"},
        **scoped(complaint("firm"), complaint("other_firm")),
    ),
    "POST /api/v1/bureau/complaints/{complaint_id}/decide": Access(
        API_TOKEN, method="post", body=lambda world: {}, **scoped(complaint("firm"), complaint("other_firm"))
    ),
    "POST /api/v1/bureau/complaints/{complaint_id}/dismiss": Access(
        API_TOKEN,
        method="post",
        body=lambda world: {"reason": "不属实"},
        **scoped(complaint("firm"), complaint("other_firm")),
    ),
    "GET /api/v1/bureau/penalties": Access(API_TOKEN, denied=(*NOT_ADMIN, "firm_admin@firm")),
    "GET /api/v1/public/letters/{code}": Access(PUBLIC),
    "GET /api/v1/bureau/case-register": Access(API_TOKEN, denied=NOT_ADMIN),
    "POST /api/v1/bureau/case-register": Access(
        API_TOKEN,
        method="post",
        denied=(*NOT_ADMIN, "bureau_clerk"),
        body=lambda world: {
            "lawyer": 1,
            "client": "某",
            "matter_type": "civil",
            "matter": "某",
            "taken_on": "2026-01-05",
        },
    ),
    "GET /api/v1/bureau/case-register/{case_id}": Access(API_TOKEN, **scoped(case("firm"), case("other_firm"))),
    "POST /api/v1/bureau/case-register/{case_id}/letter": Access(
        API_TOKEN,
        method="post",
        persona="firm_admin@firm",
        mine=case("firm"),
        theirs=case("other_firm"),
        denied=NOT_ADMIN,
        body=lambda world: {"kind": "investigation", "recipient": "某单位"},
    ),
    "GET /api/v1/bureau/letters/{letter_id}/pdf": Access(
        API_TOKEN, **scoped(case("firm", letter=True), case("other_firm", letter=True))
    ),
    "GET /api/v1/bureau/reports": Access(API_TOKEN, denied=NOT_ADMIN),
    "POST /api/v1/bureau/reports": Access(
        API_TOKEN,
        method="post",
        body=lambda world: {"period": "2026-Q3", "values": {}},
        denied=(*NOT_ADMIN, "bureau_clerk"),
    ),
    "POST /api/v1/bureau/reports/{report_id}/submit": Access(
        API_TOKEN,
        method="post",
        persona="firm_admin@firm",
        mine=report("firm", "draft"),
        theirs=report("other_firm", "draft"),
        denied=NOT_ADMIN,
    ),
    "POST /api/v1/bureau/reports/{report_id}/accept": Access(
        API_TOKEN, method="post", **scoped(report("firm"), report("other_firm"))
    ),
    "POST /api/v1/bureau/reports/{report_id}/return": Access(
        API_TOKEN,
        method="post",
        body=lambda world: {"reason": "数据有误"},
        **scoped(report("firm"), report("other_firm")),
    ),
    "GET /api/v1/bureau/report-sums": Access(API_TOKEN, body=lambda world: {"period": "2026-Q3"}, denied=NOT_ADMIN),
    "POST /api/v1/bureau/report-sums": Access(
        API_TOKEN, method="post", body=lambda world: {"period": "2026-Q3"}, denied=NOT_ADMIN
    ),
    "POST /api/v1/bureau/imports": Access(API_TOKEN, method="post", body=import_body, denied=NOT_ADMIN),
    "GET /api/v1/bureau/imports/{import_id}": Access(API_TOKEN, **scoped(an_import("firm"), an_import("other_firm"))),
    "POST /api/v1/bureau/imports/{import_id}/confirm": Access(
        API_TOKEN, method="post", **scoped(an_import("firm"), an_import("other_firm"))
    ),
    "GET /api/v1/public/lawyers": Access(PUBLIC),
    "GET /api/v1/public/firms": Access(PUBLIC),
    "GET /api/v1/bureau/lawyers": Access(API_TOKEN, denied=NOT_ADMIN),
    "GET /api/v1/bureau/firms": Access(API_TOKEN, denied=NOT_ADMIN),
    "GET /api/v1/bureau/applications": Access(API_TOKEN, denied=NOT_ADMIN),
    "POST /api/v1/bureau/applications": Access(
        API_TOKEN,
        method="post",
        body=lambda world: {"business": "inspection", "year": 2025, "data": {"summary": "年度情况"}},
        denied=NOT_ADMIN,
    ),
    "GET /api/v1/bureau/applications/{application_id}": Access(
        API_TOKEN, **scoped(application("firm"), application("other_firm"))
    ),
    "POST /api/v1/bureau/applications/{application_id}/submit": Access(
        API_TOKEN,
        method="post",
        persona="firm_admin@firm",
        mine=application("firm", status="draft"),
        theirs=application("other_firm", status="draft"),
        denied=NOT_ADMIN,
    ),
    "POST /api/v1/bureau/applications/{application_id}/withdraw": Access(
        API_TOKEN,
        method="post",
        persona="firm_admin@firm",
        mine=application("firm", status="draft"),
        theirs=application("other_firm", status="draft"),
        denied=NOT_ADMIN,
    ),
    "POST /api/v1/bureau/applications/{application_id}/receive": _step("receive", lambda world: {"originals": True}),
    "POST /api/v1/bureau/applications/{application_id}/return": _step(
        "return", lambda world: {"code": "incomplete", "reason": "缺少材料"}
    ),
    # Forwarding needs a body with one above it, which the world's top-level bureaus lack: who may
    # forward is tested in test_applications (test_only_the_competent_body_acts_404_outside_403_inside).
    "POST /api/v1/bureau/applications/{application_id}/forward": Access(API_TOKEN, method="post"),
    "POST /api/v1/bureau/applications/{application_id}/approve": _step("approve", lambda world: {"opinion": "同意"}),
    "POST /api/v1/bureau/applications/{application_id}/refuse": _step("refuse", lambda world: {"opinion": "不同意"}),
}
