"""The filtered audit list as an Excel workbook."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from lvshi.core.xlsx import cell

from .chain import canonical_json

EXPORT_LIMIT = 50_000

COLUMNS = (
    gettext_lazy("事件编号"),
    gettext_lazy("时间"),
    gettext_lazy("操作人"),
    gettext_lazy("机构"),
    gettext_lazy("IP 地址"),
    gettext_lazy("动作代码"),
    gettext_lazy("动作"),
    gettext_lazy("对象类型"),
    gettext_lazy("对象编号"),
    gettext_lazy("对象"),
    gettext_lazy("结果"),
    gettext_lazy("说明"),
    gettext_lazy("变更前"),
    gettext_lazy("变更后"),
    gettext_lazy("分片"),
    gettext_lazy("序号"),
    gettext_lazy("哈希"),
)


def workbook_bytes(events) -> bytes:
    """*events*: a queryset (organisation selected); read in chunks."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("审计日志"))
    sheet.append([cell(sheet, str(title)) for title in COLUMNS])
    for event in events.iterator(chunk_size=2000):
        row = (
            event.pk,
            timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor_label,
            event.organisation.name if event.organisation_id and event.organisation else "",
            event.ip or "",
            event.action,
            event.action_label,
            event.object_type,
            event.object_id,
            event.object_repr,
            event.get_result_display(),
            event.message,
            canonical_json(event.before) if event.before is not None else "",
            canonical_json(event.after) if event.after is not None else "",
            event.shard,
            event.seq,
            event.hash,
        )
        sheet.append([cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
