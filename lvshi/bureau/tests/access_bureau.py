"""Access rules of lawyer administration's pages and API (see tests/access.py).

The persona is the Shanghai bureau's clerk (``world.bureau_clerk``): their
objects belong to ``world.firm``, the others' to ``world.other_firm`` in
Shenzhen. Applications are annual inspections, which the city bureau
decides alone."""

from __future__ import annotations

from tests.access import API_TOKEN, LOGIN, PUBLIC, Access

NOT_ADMIN = ("lawyer", "officer", "judge", "clerk")


def _firm(world, attr):
    from ..models import Firm
    from .factories import make_firm

    org = getattr(world, attr)
    return Firm.objects.filter(organisation=org).first() or make_firm(org)


def _lawyer(attr, *, photo: bool = False):
    def make(world):
        from django.core.files.base import ContentFile

        from .factories import make_lawyer

        lawyer = make_lawyer(getattr(world, attr), "测试律师")
        if photo:
            lawyer.photo.save("p.jpg", ContentFile(b"\xff\xd8\xff\xe0" + b"0" * 64))
        return {"lawyer_id": lawyer.pk}

    return make


def _firm_of(attr):
    return lambda world: {"firm_id": _firm(world, attr).pk}


def _application(attr, *, status="submitted", step=None):
    def make(world):
        from ..models import Application, Business

        org = getattr(world, attr)
        a = Application.objects.create(
            business=Business.INSPECTION,
            organisation=org,
            year=2025,
            data={"summary": "年度情况"},
            status=status,
            body=org.parent,
            created_by=world.admin,
            number=f"SQ-T{org.pk}-{status}",
            receipt_code=f"T{org.pk:04d}{status[:5].upper()}"[:10].ljust(10, "X"),
        )
        return {"application_id": a.pk, **({"step": step} if step else {})}

    return make


def _import(attr):
    def make(world):
        from ..models import Import

        org = getattr(world, attr).parent
        record = Import.objects.create(
            kind="lawyers",
            organisation=org,
            name="名册.xlsx",
            sha256="0" * 64,
            status="ready",
            created_by=world.admin,
        )
        return {"import_id": record.pk}

    return make


def _import_body(world):
    from .workbooks import upload

    return {"kind": "staff", "file": upload("staff", [])}


def _report(attr, status="submitted"):
    def make(world):
        from ..models import Report

        org = getattr(world, attr)
        r = Report.objects.create(
            organisation=org, body=org.parent, period="2026-Q3", values={}, status=status, created_by=world.admin
        )
        return {"report_id": r.pk}

    return make


def _case(attr, *, key="case_id", letter=False):
    def make(world):
        from datetime import date

        from ..models import CaseRecord, Letter
        from .factories import make_lawyer

        org = getattr(world, attr)
        case = CaseRecord.objects.create(
            organisation=org,
            number=f"2026-{org.pk:05d}",
            lawyer=make_lawyer(org),
            client="某",
            matter_type="civil",
            matter="某纠纷",
            taken_on=date(2026, 1, 5),
            created_by=world.admin,
        )
        if not letter:
            return {key: case.pk}
        made = Letter.objects.create(
            case=case,
            kind="investigation",
            recipient="某单位",
            code=f"TEST{org.pk:08d}",
            valid_until=date(2030, 1, 1),
            issued_by=world.admin,
        )
        return {"letter_id": made.pk}

    return make


def _complaint(attr, *, penalty=False, evidence=False):
    def make(world):
        from datetime import date

        from django.core.files.base import ContentFile

        from ..models import Complaint, Evidence, Penalty

        org = getattr(world, attr)
        c = Complaint.objects.create(
            body=org.parent,
            firm=org,
            complainant="某",
            facts="某",
            first_opinion="调查",
            received_on=date(2026, 11, 1),
            created_by=world.admin,
        )
        if penalty:
            p = Penalty.objects.create(
                body=org.parent,
                firm=org,
                kind="warning",
                decision_no=f"罚{org.pk}",
                reason="某",
                decided_on=date(2026, 11, 2),
                created_by=world.admin,
            )
            return {"penalty_id": p.pk}
        if evidence:
            e = Evidence(complaint=c, name="a.pdf", content_type="application/pdf", size=4, sha256="0" * 64)
            e.file.save("a.pdf", ContentFile(b"%PDF"))
            return {"evidence_id": e.pk}
        return {"complaint_id": c.pk}

    return make


def _complaint_body(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "complainant": "某",
        "facts": "某",
        "first_opinion": "某",
        "received_on": "2026-11-01",
        "files": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"),
    }


def _correction(attr, *, file=False):
    def make(world):
        from django.core.files.base import ContentFile

        from ..models import Correction, CorrectionFile
        from .factories import make_lawyer

        org = getattr(world, attr)
        c = Correction.objects.create(
            organisation=org,
            lawyer=make_lawyer(org),
            body=org.parent,
            reason="更名",
            changes={"name": {"label": "姓名", "before": "甲", "after": "乙"}},
            created_by=world.admin,
        )
        if file:
            row = CorrectionFile(correction=c, name="a.pdf", content_type="application/pdf", size=4, sha256="0" * 64)
            row.file.save("a.pdf", ContentFile(b"%PDF"))
            return {"file_id": row.pk}
        return {"correction_id": c.pk}

    return make


def _correction_body(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"changes": '{"head": "某"}', "reason": "某", "files": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")}


def _object(make_mine, make_theirs, **extra):
    return {"persona": "bureau_clerk", "mine": make_mine, "theirs": make_theirs, "denied": NOT_ADMIN, **extra}


PAGES = {
    "bureau:lawyers": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:lawyer": Access(LOGIN, **_object(_lawyer("firm"), _lawyer("other_firm"))),
    "bureau:lawyer_photo": Access(LOGIN, method="post", **_object(_lawyer("firm"), _lawyer("other_firm"))),
    "bureau:lawyer_photo_file": Access(
        LOGIN, **_object(_lawyer("firm", photo=True), _lawyer("other_firm", photo=True))
    ),
    "bureau:firms": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:firm": Access(LOGIN, **_object(_firm_of("firm"), _firm_of("other_firm"))),
    "bureau:applications": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:application_new": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:application": Access(LOGIN, **_object(_application("firm"), _application("other_firm"))),
    "bureau:application_edit": Access(
        LOGIN,
        persona="firm_admin@firm",
        mine=_application("firm", status="draft"),
        theirs=_application("other_firm", status="draft"),
        denied=NOT_ADMIN,
    ),
    "bureau:receipt": Access(LOGIN, **_object(_application("firm"), _application("other_firm"))),
    "bureau:application_step": Access(
        LOGIN,
        method="post",
        **_object(_application("firm", step="receive"), _application("other_firm", step="receive")),
    ),
    "bureau:imports": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:import": Access(LOGIN, **_object(_import("firm"), _import("other_firm"))),
    "bureau:import_confirm": Access(LOGIN, method="post", **_object(_import("firm"), _import("other_firm"))),
    "bureau:import_template": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:reports": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:report_new": Access(LOGIN, denied=(*NOT_ADMIN, "bureau_clerk")),
    "bureau:report": Access(LOGIN, **_object(_report("firm"), _report("other_firm"))),
    "bureau:report_step": Access(
        LOGIN,
        method="post",
        **_object(
            lambda w: {**_report("firm")(w), "step": "accept"}, lambda w: {**_report("other_firm")(w), "step": "accept"}
        ),
    ),
    "bureau:report_sums": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:cases": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:case_new": Access(LOGIN, denied=(*NOT_ADMIN, "bureau_clerk")),
    "bureau:case": Access(LOGIN, **_object(_case("firm"), _case("other_firm"))),
    "bureau:case_close": Access(
        LOGIN,
        method="post",
        body=lambda world: {"closed_on": "2026-02-01"},
        persona="firm_admin@firm",
        mine=_case("firm"),
        theirs=_case("other_firm"),
        denied=NOT_ADMIN,
    ),
    "bureau:letter_new": Access(
        LOGIN,
        method="post",
        body=lambda world: {"kind": "investigation", "recipient": "某单位", "days": 10},
        persona="firm_admin@firm",
        mine=_case("firm"),
        theirs=_case("other_firm"),
        denied=NOT_ADMIN,
    ),
    "bureau:letter_pdf": Access(LOGIN, **_object(_case("firm", letter=True), _case("other_firm", letter=True))),
    "bureau:letter_revoke": Access(
        LOGIN,
        method="post",
        persona="firm_admin@firm",
        mine=_case("firm", letter=True),
        theirs=_case("other_firm", letter=True),
        denied=NOT_ADMIN,
    ),
    "bureau:complaints": Access(LOGIN, denied=(*NOT_ADMIN, "firm_admin@firm")),
    "bureau:complaint_new": Access(LOGIN, denied=(*NOT_ADMIN, "firm_admin@firm")),
    "bureau:complaint": Access(LOGIN, **_object(_complaint("firm"), _complaint("other_firm"))),
    "bureau:complaint_action": Access(
        LOGIN,
        method="post",
        body=lambda world: {"text": "调查中"},
        **_object(
            lambda w: {**_complaint("firm")(w), "action": "step"},
            lambda w: {**_complaint("other_firm")(w), "action": "step"},
        ),
    ),
    "bureau:evidence": Access(
        LOGIN, **_object(_complaint("firm", evidence=True), _complaint("other_firm", evidence=True))
    ),
    "bureau:penalties": Access(LOGIN, denied=(*NOT_ADMIN, "firm_admin@firm")),
    "bureau:penalty": Access(
        LOGIN, **_object(_complaint("firm", penalty=True), _complaint("other_firm", penalty=True))
    ),
    "bureau:corrections": Access(LOGIN, denied=NOT_ADMIN),
    "bureau:correction_new": Access(LOGIN, denied=(*NOT_ADMIN, "bureau_clerk")),
    "bureau:correction": Access(LOGIN, **_object(_correction("firm"), _correction("other_firm"))),
    "bureau:correction_step": Access(
        LOGIN,
        method="post",
        body=lambda world: {"opinion": "同意"},
        **_object(
            lambda w: {**_correction("firm")(w), "step": "approve"},
            lambda w: {**_correction("other_firm")(w), "step": "approve"},
        ),
    ),
    "bureau:correction_file": Access(
        LOGIN, **_object(_correction("firm", file=True), _correction("other_firm", file=True))
    ),
    "bureau:bar_affairs": Access(LOGIN, denied=(*NOT_ADMIN, "bureau_clerk")),
    "bureau:monitor": Access(LOGIN, denied=(*NOT_ADMIN, "firm_admin@firm")),
    "lookup:letter": Access(PUBLIC),
    "lookup:lookup": Access(PUBLIC),
    "lookup:progress": Access(PUBLIC),
}


def _step(step: str, body=None):
    return Access(
        API_TOKEN,
        method="post",
        body=body,
        **_object(
            _application("firm", status="received" if step != "receive" else "submitted"),
            _application("other_firm", status="received"),
        ),
    )


API = {
    "GET /api/v1/bureau/corrections": Access(API_TOKEN, denied=NOT_ADMIN),
    "POST /api/v1/bureau/corrections": Access(
        API_TOKEN, method="post", body=_correction_body, denied=(*NOT_ADMIN, "bureau_clerk")
    ),
    "POST /api/v1/bureau/corrections/{correction_id}/approve": Access(
        API_TOKEN, method="post", body=lambda world: {}, **_object(_correction("firm"), _correction("other_firm"))
    ),
    "POST /api/v1/bureau/corrections/{correction_id}/forward": Access(API_TOKEN, method="post"),
    "POST /api/v1/bureau/corrections/{correction_id}/reject": Access(
        API_TOKEN,
        method="post",
        body=lambda world: {"reason": "不属实"},
        **_object(_correction("firm"), _correction("other_firm")),
    ),
    "GET /api/v1/bureau/complaints": Access(API_TOKEN, denied=(*NOT_ADMIN, "firm_admin@firm")),
    "POST /api/v1/bureau/complaints": Access(
        API_TOKEN,
        method="post",
        denied=(*NOT_ADMIN, "firm_admin@firm"),
        body=_complaint_body,
    ),
    "GET /api/v1/bureau/complaints/{complaint_id}": Access(
        API_TOKEN, **_object(_complaint("firm"), _complaint("other_firm"))
    ),
    "POST /api/v1/bureau/complaints/{complaint_id}/steps": Access(
        API_TOKEN,
        method="post",
        body=lambda world: {"text": "调查中"},
        **_object(_complaint("firm"), _complaint("other_firm")),
    ),
    "POST /api/v1/bureau/complaints/{complaint_id}/decide": Access(
        API_TOKEN, method="post", body=lambda world: {}, **_object(_complaint("firm"), _complaint("other_firm"))
    ),
    "POST /api/v1/bureau/complaints/{complaint_id}/dismiss": Access(
        API_TOKEN,
        method="post",
        body=lambda world: {"reason": "不属实"},
        **_object(_complaint("firm"), _complaint("other_firm")),
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
    "GET /api/v1/bureau/case-register/{case_id}": Access(API_TOKEN, **_object(_case("firm"), _case("other_firm"))),
    "POST /api/v1/bureau/case-register/{case_id}/letter": Access(
        API_TOKEN,
        method="post",
        persona="firm_admin@firm",
        mine=_case("firm"),
        theirs=_case("other_firm"),
        denied=NOT_ADMIN,
        body=lambda world: {"kind": "investigation", "recipient": "某单位"},
    ),
    "GET /api/v1/bureau/letters/{letter_id}/pdf": Access(
        API_TOKEN, **_object(_case("firm", letter=True), _case("other_firm", letter=True))
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
        mine=_report("firm", "draft"),
        theirs=_report("other_firm", "draft"),
        denied=NOT_ADMIN,
    ),
    "POST /api/v1/bureau/reports/{report_id}/accept": Access(
        API_TOKEN, method="post", **_object(_report("firm"), _report("other_firm"))
    ),
    "POST /api/v1/bureau/reports/{report_id}/return": Access(
        API_TOKEN,
        method="post",
        body=lambda world: {"reason": "数据有误"},
        **_object(_report("firm"), _report("other_firm")),
    ),
    "GET /api/v1/bureau/report-sums": Access(API_TOKEN, body=lambda world: {"period": "2026-Q3"}, denied=NOT_ADMIN),
    "POST /api/v1/bureau/report-sums": Access(
        API_TOKEN, method="post", body=lambda world: {"period": "2026-Q3"}, denied=NOT_ADMIN
    ),
    "POST /api/v1/bureau/imports": Access(API_TOKEN, method="post", body=_import_body, denied=NOT_ADMIN),
    "GET /api/v1/bureau/imports/{import_id}": Access(API_TOKEN, **_object(_import("firm"), _import("other_firm"))),
    "POST /api/v1/bureau/imports/{import_id}/confirm": Access(
        API_TOKEN, method="post", **_object(_import("firm"), _import("other_firm"))
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
        API_TOKEN, **_object(_application("firm"), _application("other_firm"))
    ),
    "POST /api/v1/bureau/applications/{application_id}/submit": Access(
        API_TOKEN,
        method="post",
        persona="firm_admin@firm",
        mine=_application("firm", status="draft"),
        theirs=_application("other_firm", status="draft"),
        denied=NOT_ADMIN,
    ),
    "POST /api/v1/bureau/applications/{application_id}/withdraw": Access(
        API_TOKEN,
        method="post",
        persona="firm_admin@firm",
        mine=_application("firm", status="draft"),
        theirs=_application("other_firm", status="draft"),
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
