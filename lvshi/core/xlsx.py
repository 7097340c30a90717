"""Excel workbooks the platform writes (openpyxl, write-only): every text
cell is plain text, so a value that starts with "=" (or +, -, @) never runs
as a formula in the reader's spreadsheet, and characters Excel cannot hold
are dropped."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(sheet: Any, value: Any) -> WriteOnlyCell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    out = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        out.data_type = "s"  # text, never a formula
    return out


def workbook_bytes(title: str, columns: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append([cell(sheet, str(c)) for c in columns])
    for row in rows:
        sheet.append([cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
