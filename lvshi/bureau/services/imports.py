"""Importing the registry from Excel (A2): upload → preview (every row's
errors by row and column, nothing written) → confirm → a background task
writes the whole file in one transaction, or nothing. The same file again
changes nothing: rows the registry already holds as written are counted
as unchanged, and a file already imported is recognised by its digest."""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError
from lvshi.core.uploads import check_upload, store_upload
from lvshi.orgs.models import Organisation, OrgKind
from lvshi.orgs.permissions import require

from .. import importing
from ..models import (
    ChangeCause,
    Firm,
    Import,
    ImportKind,
    ImportStatus,
    Intern,
    Lawyer,
    LawyerChange,
    Staff,
)
from ..scope import BUREAU, FIRM, reaches

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What libmagic may call an .xlsx (a zip of XML parts) by version.
XLSX_TYPES = (XLSX, "application/zip", "application/octet-stream")
MAX_BYTES = 20 * 1024 * 1024
BATCH = 1000


def _reach(actor: Actor, kind: str) -> list[str]:
    roles = BUREAU if kind in (ImportKind.LAWYERS, ImportKind.FIRMS) else (*BUREAU, *FIRM)
    return reaches(actor.user, roles)


def import_upload(*, actor: Actor, organisation: Organisation, kind: str, upload: Any) -> Import:
    """Check a workbook and keep its preview: nothing reaches the registry."""
    if kind not in ImportKind.values:
        raise DomainError("kind_invalid", _("请选择导入内容。"), details={"field": "kind"})
    require(actor.user, "bureau.import_registry", organisation)
    if organisation.kind not in (OrgKind.JUSTICE_BUREAU,) and kind in (ImportKind.LAWYERS, ImportKind.FIRMS):
        raise DomainError(
            "kind_not_allowed", _("律师和律师事务所由司法行政机关导入；律师事务所可导入实习人员和辅助人员。")
        )
    checked_file = check_upload(upload, label=_("导入文件"), allowed=XLSX_TYPES, max_bytes=MAX_BYTES)
    if not checked_file.name.lower().endswith(".xlsx"):
        raise DomainError("file_type", _("请上传 .xlsx 格式的 Excel 文件（可先下载导入模板）。"))
    checked_file.file.seek(0)
    try:
        checked = importing.check(kind, checked_file.file, _reach(actor, kind))
    except importing.Unreadable as exc:
        raise DomainError("file_unreadable", str(exc)) from exc
    done = Import.objects.filter(
        organisation=organisation,
        kind=kind,
        sha256=checked_file.sha256,
        status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.DONE],
    ).first()
    status = ImportStatus.INVALID if checked.error_count else ImportStatus.READY
    record = Import(
        kind=kind,
        organisation=organisation,
        name=checked_file.name,
        sha256=checked_file.sha256,
        status=status,
        rows=checked.total,
        unchanged=checked.unchanged,
        error_count=checked.error_count,
        errors=[e.as_dict() for e in checked.errors],
        sample=checked.sample,
        created_by=actor.user,
        entered_at=timezone.now(),
        failure=_("该文件已于%(at)s导入，再次导入不会有任何变化。")
        % {"at": f"{timezone.localtime(done.created_at):%Y-%m-%d %H:%M}"}
        if done
        else "",
    )
    with transaction.atomic():
        store_upload(record.file, checked_file)
        record.save()
        audit_record(
            action="bureau.import_upload",
            actor=actor,
            obj=record,
            organisation=organisation,
            after={"kind": kind, "rows": checked.total, "errors": checked.error_count, "sha256": record.sha256},
        )
    return record


def import_confirm(*, record: Import, actor: Actor) -> Import:
    """Queue a checked file without errors for writing (once)."""
    require(actor.user, "bureau.import_registry", record.organisation)
    if record.status == ImportStatus.INVALID:
        raise Conflict("import_invalid", _("文件中还有错误，请按预览中的提示修改后重新上传。"))
    if record.failure and record.status == ImportStatus.READY:
        raise Conflict("already_imported", record.failure)
    try:
        with transaction.atomic():
            moved = Import.objects.filter(pk=record.pk, status=ImportStatus.READY).update(
                status=ImportStatus.QUEUED, entered_at=timezone.now()
            )
            if not moved:
                raise Conflict("import_started", _("该文件已确认导入，请在本页查看进度。"))
            audit_record(action="bureau.import_confirm", actor=actor, obj=record, organisation=record.organisation)
    except IntegrityError as exc:  # the same file confirmed at the same moment from another upload
        raise Conflict("already_imported", _("该文件已经导入，再次导入不会有任何变化。")) from exc
    transaction.on_commit(lambda: import_task.enqueue(record.pk))
    record.refresh_from_db()
    return record


def progress_key(import_id: int) -> str:
    return f"bureau:import:{import_id}:written"


def written(record: Import) -> int:
    """Rows written so far (the transaction is not visible until it ends)."""
    if record.status == ImportStatus.DONE:
        return record.created
    return int(cache.get(progress_key(record.pk)) or 0)


def _lawyers(rows: list[dict[str, Any]], record: Import, actor: Actor, tick: Any) -> None:
    for start in range(0, len(rows), BATCH):
        made = []
        for r in rows[start : start + BATCH]:
            lawyer = Lawyer(
                licence_no=r["licence_no"],
                name=r["name"],
                gender=r["gender"],
                kind=r["kind"],
                status=r["status"],
                organisation_id=r["organisation_id"],
                first_licensed_on=r["first_licensed_on"],
                mobile=r["mobile"],
            )
            lawyer.set_id_number(r["id_number"])
            made.append(lawyer)
        Lawyer.objects.bulk_create(made)
        LawyerChange.objects.bulk_create(
            LawyerChange(
                lawyer=lw,
                field="status",
                label=_("执业状态"),
                after=lw.status,
                cause=ChangeCause.IMPORT,
                reference=f"import-{record.pk}",
                actor=actor.user,
            )
            for lw in made
        )
        tick(len(made))


def _firms(rows: list[dict[str, Any]], record: Import, actor: Actor, tick: Any) -> None:
    bureaus = Organisation.objects.in_bulk({r["bureau_id"] for r in rows})
    kinds = {"public": OrgKind.PUBLIC_FIRM, "legal_aid": OrgKind.LEGAL_AID}
    for r in rows:  # each firm is an organisation of the tree, with its path
        bureau = bureaus[r["bureau_id"]]
        org = Organisation(
            parent=bureau,
            name=r["name"],
            kind=kinds.get(r["form"], OrgKind.LAW_FIRM),
            region_code=bureau.region_code,
            region_name=bureau.region_name,
            address=r["address"],
            phone=r["phone"],
        )
        org.save()
        Firm.objects.create(
            organisation=org, credit_code=r["credit_code"], form=r["form"], head=r["head"], founded_on=r["founded_on"]
        )
        tick(1)


def _people(rows: list[dict[str, Any]], record: Import, actor: Actor, tick: Any) -> None:
    model = Intern if record.kind == ImportKind.INTERNS else Staff
    keys = (
        "name",
        "gender",
        "organisation_id",
        *(("supervisor_id", "certificate_no", "start", "end") if model is Intern else ("position", "start", "mobile")),
    )
    for start in range(0, len(rows), BATCH):
        made = []
        for r in rows[start : start + BATCH]:
            person = model(**{k: r[k] for k in keys})
            person.set_id_number(r["id_number"])
            made.append(person)
        model._default_manager.bulk_create(made)  # type: ignore[arg-type]
        tick(len(made))


WRITERS: dict[str, Any] = {
    ImportKind.LAWYERS: _lawyers,
    ImportKind.FIRMS: _firms,
    ImportKind.INTERNS: _people,
    ImportKind.STAFF: _people,
}


def import_run(*, import_id: int) -> str:
    """Check the file again (the registry may have changed since the
    preview) and write every row in one transaction, or none."""
    claimed = Import.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(status=ImportStatus.RUNNING)
    if not claimed:
        return "skipped"
    record = Import.objects.select_related("organisation", "created_by").get(pk=import_id)
    actor = Actor(record.created_by)
    key = progress_key(record.pk)
    cache.set(key, 0, timeout=3600)

    def tick(n: int) -> None:
        try:
            cache.incr(key, n)
        except ValueError:
            cache.set(key, n, timeout=3600)

    try:
        with record.file.open("rb") as source:
            checked = importing.check(record.kind, source, _reach(actor, record.kind))
        if checked.error_count:
            raise Conflict(
                "import_changed",
                _("名册在预览后发生了变化，有%(n)d行不能导入，请重新上传核对。") % {"n": checked.error_count},
            )
        with transaction.atomic():
            WRITERS[record.kind](checked.rows, record, actor, tick)
            Import.objects.filter(pk=record.pk).update(
                status=ImportStatus.DONE,
                created=len(checked.rows),
                unchanged=checked.unchanged,
                finished_at=timezone.now(),
            )
            audit_record(
                action="bureau.import_done",
                actor=actor,
                obj=record,
                organisation=record.organisation,
                after={"created": len(checked.rows), "unchanged": checked.unchanged},
            )
    except (DomainError, importing.Unreadable, IntegrityError) as exc:
        message = exc.message if isinstance(exc, DomainError) else str(exc)
        if isinstance(exc, IntegrityError):
            message = _("导入时与名册中的记录冲突（可能有人同时录入了相同的记录），未写入任何数据，请重新上传核对。")
        Import.objects.filter(pk=record.pk).update(
            status=ImportStatus.FAILED, failure=message[:300], finished_at=timezone.now()
        )
        logger.warning("import %s failed: %s", record.pk, message)
        return "failed"
    finally:
        cache.delete(key)
    return "done"


@task()
def import_task(import_id: int) -> str:
    return import_run(import_id=import_id)
