"""Lawyer administration's benchmark: a province of 21 cities and 10,000
firms; importing 10,000 lawyers from one workbook (the preview's check, then
the write), and the province's sum of a period's reports.

    python -m bench.registry        # SQLite, and PostgreSQL when DATABASE_URL is set

Each database is fresh (a file under BENCH_DIR; on PostgreSQL the database
``<name>_run``, dropped afterwards). One JSON line per database on stdout."""

from __future__ import annotations

import io
import json
import os
import sys
import time

from .flash_crowd import each_database

CITIES = 21
FIRMS = int(os.environ.get("REGISTRY_FIRMS", "10000"))
LAWYERS = int(os.environ.get("REGISTRY_LAWYERS", "10000"))


def build_province():
    """The province, its cities and their firms (bulk: the benchmark's set-up, not its subject)."""
    from lvshi.accounts.identity import credit_check_char
    from lvshi.bureau.models import Firm
    from lvshi.orgs.models import Organisation, OrgKind

    province = Organisation(
        name="广东省司法厅", kind=OrgKind.JUSTICE_BUREAU, region_code="440000", region_name="广东省"
    )
    province.save()
    cities = []
    for n in range(CITIES):
        city = Organisation(
            name=f"第{n + 1}市司法局",
            kind=OrgKind.JUSTICE_BUREAU,
            parent=province,
            region_code=f"44{n + 1:02d}00",
            region_name=f"第{n + 1}市",
        )
        city.save()
        cities.append(city)
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"第{n}律师事务所",
            kind=OrgKind.LAW_FIRM,
            parent=cities[n % CITIES],
            path="",
            region_code=cities[n % CITIES].region_code,
            region_name="某市",
        )
        for n in range(FIRMS)
    )
    for org in orgs:
        org.path = f"{org.parent.path}{org.pk}/"
    Organisation.objects.bulk_update(orgs, ["path"], batch_size=2000)
    firms = []
    for n, org in enumerate(orgs):
        body = f"31440000MD{n:07d}"
        firms.append(Firm(organisation=org, credit_code=body + credit_check_char(body), form="partnership"))
    Firm.objects.bulk_create(firms, batch_size=2000)
    return province, cities, firms


def lawyer_workbook(firms) -> bytes:
    from openpyxl import Workbook

    from lvshi.accounts.identity import check_char
    from lvshi.bureau.importing import COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("律师")
    sheet.append([str(c.title) for c in COLUMNS["lawyers"]])
    for n in range(LAWYERS):
        first17 = f"{440100 + n // 1000:06d}1980{n % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
        sheet.append(
            [
                f"14401202010{n:06d}",
                f"律师{n}",
                "男",
                first17 + check_char(first17),
                "专职律师",
                "正常执业",
                firms[n % len(firms)].credit_code,
                "2020-05-01",
                "",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bench_import(province, firms) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lvshi.accounts.identity import check_char
    from lvshi.accounts.models import User
    from lvshi.bureau.models import Import, Lawyer
    from lvshi.bureau.services import imports
    from lvshi.core.actor import Actor
    from lvshi.orgs.models import Membership, Role

    first17 = "44010619800101001"
    clerk = User.objects.create_user(
        first17 + check_char(first17), "x-Bench-2026", name="基准测试", mobile="13800009999"
    )
    Membership.objects.create(user=clerk, organisation=province, role=Role.BUREAU_CLERK)
    data = lawyer_workbook(firms)
    began = time.perf_counter()
    record = imports.import_upload(
        actor=Actor(clerk), organisation=province, kind="lawyers", upload=SimpleUploadedFile("律师.xlsx", data)
    )
    check_s = time.perf_counter() - began
    assert record.error_count == 0, record.errors[:5]
    Import.objects.filter(pk=record.pk).update(status="queued")
    began = time.perf_counter()
    outcome = imports.import_run(import_id=record.pk)  # the task's work, without the queue
    run_s = time.perf_counter() - began
    assert outcome == "done" and Lawyer.objects.count() == LAWYERS
    return {
        "rows": LAWYERS,
        "preview_s": round(check_s, 2),
        "import_s": round(run_s, 2),
        "workbook_kb": len(data) // 1024,
    }


def bench_sums(province, cities, firms) -> dict:
    """Every firm's accepted report of a period; each city sums and sends; the province sums."""
    from django.utils import timezone

    from lvshi.accounts.models import User
    from lvshi.bureau import sums
    from lvshi.bureau.models import Report
    from lvshi.bureau.services import reports
    from lvshi.core.actor import Actor
    from lvshi.orgs.models import Membership, Role

    period = "2026-Q3"
    clerk = User.objects.get(name="基准测试")
    for city in cities:
        Membership.objects.create(user=clerk, organisation=city, role=Role.BUREAU_CLERK)
    now = timezone.now()
    Report.objects.bulk_create(
        (
            Report(
                organisation_id=f.organisation_id,
                body_id=f.organisation.parent_id,
                period=period,
                values=sums.add(sums.zero(), {"civil": n % 7, "revenue": 10_000 + n}),
                status="accepted",
                created_by=clerk,
                submitted_at=now,
            )
            for n, f in enumerate(firms)
        ),
        batch_size=2000,
    )
    today = timezone.localdate()
    began = time.perf_counter()
    for city in cities:
        reports.sum_send(body=city, actor=Actor(clerk), period=period)
    cities_s = time.perf_counter() - began
    began = time.perf_counter()
    top = sums.summary(province, period, today=today)
    province_s = time.perf_counter() - began
    began = time.perf_counter()
    direct, counted = sums.subtree_total(province, period)
    direct_s = time.perf_counter() - began
    assert top.values == direct and top.firms_counted == counted == len(firms)
    return {
        "reports": len(firms),
        "cities_sum_and_send_s": round(cities_s, 3),
        "province_sum_ms": round(province_s * 1000, 1),
        "province_direct_total_ms": round(direct_s * 1000, 1),
    }


def inner() -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    province, cities, firms = build_province()
    setup_s = time.perf_counter() - began
    result = {"db": connection.vendor, "firms": len(firms), "cities": CITIES, "setup_s": round(setup_s, 1)}
    result["import"] = bench_import(province, firms)
    result["sums"] = bench_sums(province, cities, firms)
    return result


def main() -> int:
    return each_database(
        "registry", ["bench.registry", "--inner"], f"registry: {FIRMS} firms in {CITIES} cities, {LAWYERS} lawyers"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--inner":
        print(json.dumps(inner(), ensure_ascii=False))
        sys.exit(0)
    sys.exit(main())
