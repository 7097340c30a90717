"""Importing the registry from Excel (A2): the preview's errors by row and
column, nothing written before confirming, all or nothing, and the same
file again changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lvshi.accounts.identity import check_char
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError

from ..models import Firm, Import, ImportKind, ImportStatus, Intern, Lawyer, Staff
from ..services import imports as svc
from .factories import make_credit_code
from .workbooks import upload, workbook


def ident(n: int) -> str:
    first17 = f"44010619{80 + n % 20:02d}0101{n % 1000:03d}"
    return first17 + check_char(first17)


def lawyer_row(gd, n: int, **extra) -> dict:
    return {
        "licence_no": f"1440120201{n:07d}",
        "name": f"律师{n}",
        "gender": "男",
        "id_number": ident(n),
        "kind": "专职律师",
        "status": "正常执业",
        "firm": gd.gz_firm.credit_code,
        "first_licensed_on": "2020-05-01",
        **extra,
    }


def preview(gd, kind, rows, *, by=None, org=None, data: bytes | None = None, **kw) -> Import:
    """Upload *rows* as a new workbook, or the very bytes of *data*."""
    file = SimpleUploadedFile("名册.xlsx", data) if data is not None else upload(kind, rows, **kw)
    return svc.import_upload(actor=Actor(by or gd.gz_clerk), organisation=org or gd.gz, kind=kind, upload=file)


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """Confirm an import and run its task, as the worker would after the commit."""

    def run(record: Import, by) -> Import:
        with django_capture_on_commit_callbacks(execute=True):
            svc.import_confirm(record=record, actor=Actor(by))
        record.refresh_from_db()
        return record

    return run


def test_the_preview_lists_every_error_by_row_and_column_and_writes_nothing(gd):
    before = Lawyer.objects.count()
    rows = [
        lawyer_row(gd, 1),
        lawyer_row(gd, 2, id_number="440106198001010012"),  # row 3: check digit
        lawyer_row(gd, 3, firm=gd.sz_firm.credit_code),  # row 4: Shenzhen's firm, outside Guangzhou's reach
        lawyer_row(gd, 4, firm="91440101MA59ABCDEX"),  # row 5: not a valid credit code
        lawyer_row(gd, 5, licence_no=lawyer_row(gd, 1)["licence_no"]),  # row 6: the same licence as row 2
        lawyer_row(gd, 6, licence_no=gd.lawyer.licence_no),  # row 7: a licence the registry holds for 张明
        lawyer_row(gd, 7, kind="律师"),  # row 8: not a kind
        lawyer_row(gd, 8, name=""),  # row 9: required
    ]
    record = preview(gd, ImportKind.LAWYERS, rows)
    assert record.status == ImportStatus.INVALID and record.rows == 8 and record.error_count == 7
    where = [(e["row"], e["column"]) for e in record.errors]
    assert where == [
        (3, "身份证号码"),
        (5, "执业机构统一社会信用代码"),
        (8, "律师类别"),
        (9, "姓名"),
        (6, "执业证号"),
        (4, "执业机构统一社会信用代码"),
        (7, "执业证号"),
    ]
    messages = {e["row"]: e["message"] for e in record.errors}
    assert messages[6] == "与第2行重复。"
    assert "张明" in messages[7] and "校验位" in messages[3]
    assert Lawyer.objects.count() == before
    with pytest.raises(DomainError) as refused:
        svc.import_confirm(record=record, actor=Actor(gd.gz_clerk))
    assert refused.value.code == "import_invalid"


def test_a_confirmed_file_is_written_whole_by_the_task_and_again_changes_nothing(gd, confirm):
    rows = [lawyer_row(gd, n) for n in range(1, 31)]
    data = workbook(ImportKind.LAWYERS, rows)
    record = preview(gd, ImportKind.LAWYERS, rows, data=data)
    assert (record.status, record.error_count, record.rows) == (ImportStatus.READY, 0, 30)
    assert Lawyer.objects.filter(name__startswith="律师").count() == 0
    confirm(record, gd.gz_clerk)
    record.refresh_from_db()
    assert (record.status, record.created, record.unchanged) == (ImportStatus.DONE, 30, 0)
    made = Lawyer.objects.get(licence_no=rows[0]["licence_no"])
    assert made.organisation == gd.gz_firm_org and made.kind == "full_time" and made.id_number == rows[0]["id_number"]
    assert made.changes.get().cause == "import"

    again = preview(gd, ImportKind.LAWYERS, rows, data=data)  # the same file
    assert (again.status, again.unchanged, again.error_count) == (ImportStatus.READY, 30, 0)
    with pytest.raises(DomainError) as refused:
        svc.import_confirm(record=again, actor=Actor(gd.gz_clerk))
    assert refused.value.code == "already_imported"

    resaved = preview(gd, ImportKind.LAWYERS, list(reversed(rows)))  # other bytes, the same records
    assert resaved.unchanged == 30 and not resaved.failure
    confirm(resaved, gd.gz_clerk)
    resaved.refresh_from_db()
    assert (resaved.status, resaved.created) == (ImportStatus.DONE, 0)
    assert Lawyer.objects.filter(name__startswith="律师").count() == 30


def test_a_row_that_clashes_at_write_time_leaves_the_whole_file_unwritten(gd, confirm):
    rows = [lawyer_row(gd, n) for n in range(1, 11)]
    record = preview(gd, ImportKind.LAWYERS, rows)
    # After the preview someone registers the last row's licence by hand.
    Lawyer.objects.create(
        licence_no=rows[-1]["licence_no"],
        name="别人",
        kind="full_time",
        status="practising",
        organisation=gd.gz_firm_org,
    )
    confirm(record, gd.gz_clerk)
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and "1行" in record.failure
    assert Lawyer.objects.filter(name__startswith="律师").count() == 0


def test_firms_are_imported_under_their_bureau(gd, confirm):
    code = make_credit_code()
    rows = [
        {"name": "广州新律师事务所", "credit_code": code, "form": "合伙律师事务所", "bureau": "广州市司法局"},
        {
            "name": "深圳新律师事务所",
            "credit_code": make_credit_code(),
            "form": "合伙律师事务所",
            "bureau": "深圳市司法局",
        },
    ]
    record = preview(gd, ImportKind.FIRMS, rows)
    assert [(e["row"], e["column"]) for e in record.errors] == [(3, "主管司法行政机关")]
    record = preview(gd, ImportKind.FIRMS, rows[:1])
    confirm(record, gd.gz_clerk)
    firm = Firm.objects.get(credit_code=code)
    assert firm.organisation.parent == gd.gz and firm.organisation.path.startswith(gd.gz.path)


def test_a_firm_imports_its_interns_and_staff_but_not_lawyers(gd, confirm):
    intern = {
        "name": "实习生甲",
        "id_number": ident(500),
        "firm": gd.gz_firm.credit_code,
        "supervisor": gd.lawyer.licence_no,
        "start": "2026-01-05",
        "end": "2027-01-04",
    }
    wrong = {**intern, "id_number": ident(501), "supervisor": gd.sz_lawyer.licence_no}
    record = preview(gd, ImportKind.INTERNS, [intern, wrong], by=gd.firm_admin, org=gd.gz_firm_org)
    assert [(e["row"], e["column"]) for e in record.errors] == [(3, "指导律师执业证号")]
    record = preview(gd, ImportKind.INTERNS, [intern], by=gd.firm_admin, org=gd.gz_firm_org)
    confirm(record, gd.firm_admin)
    assert Intern.objects.get(organisation=gd.gz_firm_org).supervisor == gd.lawyer
    staff = preview(
        gd,
        ImportKind.STAFF,
        [{"name": "行政甲", "id_number": ident(502), "firm": gd.gz_firm.credit_code}],
        by=gd.firm_admin,
        org=gd.gz_firm_org,
    )
    confirm(staff, gd.firm_admin)
    assert Staff.objects.filter(organisation=gd.gz_firm_org).count() == 1
    with pytest.raises(DomainError) as refused:
        preview(gd, ImportKind.LAWYERS, [lawyer_row(gd, 1)], by=gd.firm_admin, org=gd.gz_firm_org)
    assert refused.value.code == "kind_not_allowed"


def test_files_that_are_not_workbooks_or_lack_columns_are_refused(gd):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(DomainError) as refused:
        svc.import_upload(
            actor=Actor(gd.gz_clerk),
            organisation=gd.gz,
            kind=ImportKind.LAWYERS,
            upload=SimpleUploadedFile("a.xlsx", b"%PDF-1.4 not a workbook"),
        )
    assert refused.value.code == "file_type"
    with pytest.raises(DomainError) as refused:
        preview(gd, ImportKind.LAWYERS, [lawyer_row(gd, 1)], titles=["执业证号", "姓名"])
    assert refused.value.code == "file_unreadable" and "身份证号码" in refused.value.message
    assert not Import.objects.exists()


def test_the_pages_preview_confirm_and_show_progress(gd, login, client, django_capture_on_commit_callbacks):
    login(gd.gz_clerk)
    page = client.get(reverse("bureau:imports"))
    assert page.status_code == 200
    response = client.post(
        reverse("bureau:imports"), {"kind": "lawyers", "upload": upload(ImportKind.LAWYERS, [lawyer_row(gd, 1)])}
    )
    record = Import.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("bureau:import", args=[record.pk])
    page = client.get(reverse("bureau:import", args=[record.pk])).content.decode()
    assert "确认导入" in page and lawyer_row(gd, 1)["licence_no"] in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bureau:import_confirm", args=[record.pk]))
    assert "已导入" in client.get(reverse("bureau:import", args=[record.pk])).content.decode()
    template = client.get(reverse("bureau:import_template"), {"kind": "interns"})
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
    login(gd.sz_clerk)
    assert client.get(reverse("bureau:import", args=[record.pk])).status_code == 404


def test_the_api_uploads_previews_and_confirms(gd, client, api, django_capture_on_commit_callbacks):
    response = client.post(
        "/api/v1/bureau/imports",
        {"kind": "lawyers", "file": upload(ImportKind.LAWYERS, [lawyer_row(gd, 9)])},
        **api(gd.gz_clerk),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "ready" and body["rows"] == 1 and body["errors"] == []
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(f"/api/v1/bureau/imports/{body['id']}/confirm", **api(gd.gz_clerk))
    assert queued.status_code == 200 and queued.json()["status"] == "queued"
    assert client.get(f"/api/v1/bureau/imports/{body['id']}", **api(gd.gz_clerk)).json()["status"] == "done"
    assert Lawyer.objects.filter(licence_no=lawyer_row(gd, 9)["licence_no"]).exists()
