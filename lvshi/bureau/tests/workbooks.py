"""Workbooks for import tests and the benchmark, made with openpyxl as a
user's Excel would save them."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ..importing import COLUMNS


def workbook(kind: str, rows: list[dict], *, titles: list[str] | None = None) -> bytes:
    columns = COLUMNS[kind]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(titles or [str(c.title) for c in columns])
    for row in rows:
        sheet.append([row.get(c.key, "") for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(kind: str, rows: list[dict], name: str = "名册.xlsx", **kw) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, workbook(kind, rows, **kw), content_type="application/octet-stream")
