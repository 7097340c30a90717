"""Objects for the access sweep's tables (``access_bureau.py``): each builder
makes an object of ``world.firm`` (Shanghai) or ``world.other_firm``
(Shenzhen) and returns its URL arguments."""

from __future__ import annotations

# Roles of no lawyer administration: a firm's lawyer (closest to its administrator) and unrelated staff.
NOT_ADMIN = ("lawyer", "officer")


def firm(world, attr):
    from ..models import Firm
    from .factories import make_firm

    org = getattr(world, attr)
    return Firm.objects.filter(organisation=org).first() or make_firm(org)


def lawyer(attr, *, photo: bool = False):
    def make(world):
        from django.core.files.base import ContentFile

        from .factories import make_lawyer

        lawyer = make_lawyer(getattr(world, attr), "测试律师")
        if photo:
            lawyer.photo.save("p.jpg", ContentFile(b"\xff\xd8\xff\xe0" + b"0" * 64))
        return {"lawyer_id": lawyer.pk}

    return make


def firm_of(attr):
    return lambda world: {"firm_id": firm(world, attr).pk}


def application(attr, *, status="submitted", step=None):
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


def an_import(attr):
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


def import_body(world):
    from .workbooks import upload

    return {"kind": "staff", "file": upload("staff", [])}


def report(attr, status="submitted"):
    def make(world):
        from ..models import Report

        org = getattr(world, attr)
        r = Report.objects.create(
            organisation=org, body=org.parent, period="2026-Q3", values={}, status=status, created_by=world.admin
        )
        return {"report_id": r.pk}

    return make


def case(attr, *, key="case_id", letter=False):
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


def complaint(attr, *, penalty=False, evidence=False):
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


def complaint_body(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "complainant": "某",
        "facts": "某",
        "first_opinion": "某",
        "received_on": "2026-11-01",
        "files": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"),
    }


def correction(attr, *, file=False):
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


def correction_body(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"changes": '{"head": "某"}', "reason": "某", "files": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")}


def notice(attr):
    def make(world):
        from ..models import Announcement

        n = Announcement.objects.create(body=getattr(world, attr), title="通知", text="内容", created_by=world.admin)
        return {"notice_id": n.pk}

    return make


def message(attr):
    """A message to the bureau of *attr* from a body of its own (a district bureau)."""

    def make(world):
        from lvshi.orgs.models import Organisation

        from ..models import BodyMessage

        bureau = getattr(world, attr)
        district = Organisation.objects.create(
            name=f"{bureau.name}某区司法局", kind="justice_bureau", parent=bureau, region_code=bureau.region_code
        )
        m = BodyMessage.objects.create(
            sender=district, recipient=bureau, subject="报告", text="内容", sent_by=world.admin
        )
        return {"message_id": m.pk}

    return make


def scoped(make_mine, make_theirs, **extra):
    return {"persona": "bureau_clerk", "mine": make_mine, "theirs": make_theirs, "denied": NOT_ADMIN, **extra}
