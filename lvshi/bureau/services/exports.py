"""Exporting lists to Excel (A10): audited with the filters and the count."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import NotFound
from lvshi.core.xlsx import workbook_bytes
from lvshi.orgs.permissions import require

from ..exports import EXPORTS

FILTERS = ("q", "status", "kind", "business", "period")


def export_workbook(*, actor: Actor, kind: str, filters: Mapping[str, str]) -> tuple[bytes, str]:
    """The workbook and its file name; the export is an audit event."""
    export = EXPORTS.get(kind)
    if export is None:
        raise NotFound("export_unknown", "没有这种导出。")
    require(actor.user, export.permission)
    wanted = {k: str(filters.get(k, ""))[:50] for k in FILTERS if filters.get(k)}
    rows = list(export.rows(actor.user, wanted))
    data = workbook_bytes(str(export.title), export.columns, rows)
    with transaction.atomic():
        audit_record(
            action="bureau.export",
            actor=actor,
            object_type="bureau.export",
            object_id=kind,
            object_repr=str(export.title),
            after={"filters": wanted, "rows": len(rows)},
        )
    return data, f"{kind}-{timezone.localdate():%Y%m%d}.xlsx"
