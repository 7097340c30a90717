"""Reading and checking a registry workbook (A2), without writing anything.

Each kind of record declares its columns once (title, whether required,
how a cell is read). :func:`check` reads the first sheet with openpyxl in
read-only mode, looks up everything the rows refer to in a few queries
(firms by credit code within the importer's reach, licences, identity
numbers' blind indexes), and returns the clean rows, every error by row
and column in Chinese, and how many rows the registry already holds
exactly as written (importing those changes nothing)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvshi.accounts.identity import normalize_credit_code, normalize_id_number, normalize_licence_no, normalize_mobile
from lvshi.core import crypto
from lvshi.core.text import StrOrPromise
from lvshi.orgs.models import Organisation, OrgKind

from .models import (
    Firm,
    FirmForm,
    ImportKind,
    Intern,
    InternStatus,
    Lawyer,
    LawyerKind,
    LawyerStatus,
    PersonGender,
    Staff,
)

MAX_ROWS = 20_000
MAX_ERRORS_KEPT = 500
SAMPLE_ROWS = 20
CHUNK = 5_000


@dataclass(frozen=True)
class Column:
    key: str
    title: StrOrPromise
    kind: str = "text"  # text, id_number, mobile, credit_code, licence_no, date, choice
    required: bool = True
    choices: Any = None  # a TextChoices: a cell may hold its label or its value
    limit: int = 100


def _c(key: str, title: str, kind: str = "text", **kw: Any) -> Column:
    return Column(key, gettext_lazy(title), kind, **kw)


PERSON = (
    _c("name", "姓名", limit=50),
    _c("gender", "性别", "choice", required=False, choices=PersonGender),
    _c("id_number", "身份证号码", "id_number"),
)
COLUMNS: dict[str, tuple[Column, ...]] = {
    ImportKind.LAWYERS: (
        _c("licence_no", "执业证号", "licence_no"),
        *PERSON,
        _c("kind", "律师类别", "choice", choices=LawyerKind),
        _c("status", "执业状态", "choice", choices=LawyerStatus),
        _c("firm", "执业机构统一社会信用代码", "credit_code"),
        _c("first_licensed_on", "首次执业日期", "date", required=False),
        _c("mobile", "手机号码", "mobile", required=False),
    ),
    ImportKind.FIRMS: (
        _c("name", "名称"),
        _c("credit_code", "统一社会信用代码", "credit_code"),
        _c("form", "组织形式", "choice", choices=FirmForm),
        _c("head", "负责人", required=False, limit=50),
        _c("bureau", "主管司法行政机关"),
        _c("address", "住所", required=False, limit=200),
        _c("phone", "联系电话", required=False, limit=30),
        _c("founded_on", "成立日期", "date", required=False),
    ),
    ImportKind.INTERNS: (
        *PERSON,
        _c("firm", "实习机构统一社会信用代码", "credit_code"),
        _c("supervisor", "指导律师执业证号", "licence_no"),
        _c("certificate_no", "实习证号", required=False, limit=30),
        _c("start", "实习开始日期", "date"),
        _c("end", "实习结束日期", "date"),
    ),
    ImportKind.STAFF: (
        *PERSON,
        _c("firm", "所在机构统一社会信用代码", "credit_code"),
        _c("position", "岗位", required=False, limit=50),
        _c("start", "入职日期", "date", required=False),
        _c("mobile", "手机号码", "mobile", required=False),
    ),
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Checked:
    rows: list[dict[str, Any]] = field(default_factory=list)  # the rows to write
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    total: int = 0
    unchanged: int = 0
    sample: list[list[str]] = field(default_factory=list)

    def add(self, row: int, column: StrOrPromise, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RowError(row, str(column), message))


class Unreadable(Exception):
    """The file is not a workbook this importer can read."""


# --- reading cells ---------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    try:
        y, m, d = (int(part) for part in text.split("-"))
        return date(y, m, d)
    except ValueError as exc:
        raise ValidationError(_("应为日期，例如 2020-05-01。")) from exc


def _choice(column: Column, text: str) -> str:
    for value, label in column.choices.choices:
        if text in (value, str(label)):
            return str(value)
    allowed = "、".join(str(label) for _v, label in column.choices.choices)
    raise ValidationError(_("只能填写：%(all)s。") % {"all": allowed})


READERS: dict[str, Callable[[Column, Any], Any]] = {
    "id_number": lambda c, v: normalize_id_number(_text(v)),
    "mobile": lambda c, v: normalize_mobile(_text(v)),
    "credit_code": lambda c, v: normalize_credit_code(_text(v)),
    "licence_no": lambda c, v: normalize_licence_no(_text(v)),
    "date": lambda c, v: _date(v),
    "choice": lambda c, v: _choice(c, _text(v)),
}


def _cell(column: Column, value: Any) -> Any:
    """One cell, read as its column says (``ValidationError`` with the reason)."""
    if _text(value) == "":
        if column.required:
            raise ValidationError(_("必填，不能为空。"))
        return None if column.kind == "date" else ""
    reader = READERS.get(column.kind)
    if reader is not None:
        return reader(column, value)
    text = _text(value)
    if len(text) > column.limit:
        raise ValidationError(_("不能超过%(n)d字。") % {"n": column.limit})
    return text


def read_rows(source: IO[bytes], columns: tuple[Column, ...]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The first sheet's data rows as ``(row number, {key: raw value})``; the
    first row holds the column titles (in any order; others are ignored)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:
        raise Unreadable(_("无法读取该文件，请上传用 Excel 保存的 .xlsx 文件。")) from exc
    try:
        sheet = book.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = [_text(v) for v in next(lines, ())]
        where = {title: i for i, title in enumerate(header) if title}
        missing = [str(c.title) for c in columns if c.required and str(c.title) not in where]
        if missing:
            raise Unreadable(_("第1行缺少必填的列：%(cols)s。请使用导入模板。") % {"cols": "、".join(missing)})
        index = {c.key: where.get(str(c.title)) for c in columns}
        for number, values in enumerate(lines, start=2):
            if not any(_text(v) for v in values):
                continue
            yield number, {k: (values[i] if i is not None and i < len(values) else None) for k, i in index.items()}
    finally:
        book.close()


# --- checking ----------------------------------------------------------------------------


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    it = iter(values)
    while chunk := list(itertools.islice(it, CHUNK)):
        yield chunk


class Context:
    """What the rows refer to, looked up once for the whole file."""

    def __init__(self, kind: str, reach: list[str], rows: list[tuple[int, dict[str, Any]]]):
        self.reach = reach
        codes = {r.get("firm") or r.get("credit_code") for _n, r in rows} - {None, ""}
        self.firms: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(codes):
            for code, org_id, path in Firm.objects.filter(credit_code__in=chunk).values_list(
                "credit_code", "organisation_id", "organisation__path"
            ):
                self.firms[code] = (org_id, path)
        # lawyers' rows: licence number → (number, name, id hash, organisation, kind, status)
        self.lawyers: dict[str, tuple] = {}
        self.lawyer_ids: dict[str, str] = {}  # id hash → licence number, licences in force
        self.supervisors: dict[str, tuple[int, int]] = {}  # licence number → (lawyer, organisation)
        self.people: set[tuple[int, str]] = set()
        if kind == ImportKind.LAWYERS:
            numbers = {r["licence_no"] for _n, r in rows if r.get("licence_no")}
            hashes = {r["id_hash"] for _n, r in rows if r.get("id_hash")}
            fields = ("licence_no", "name", "id_number_hash", "organisation_id", "kind", "status")
            for chunk in _chunks(numbers):
                for row in Lawyer.objects.filter(licence_no__in=chunk).values_list(*fields):
                    self.lawyers[row[0]] = row
            for chunk in _chunks(hashes):
                qs = Lawyer.objects.filter(id_number_hash__in=chunk).exclude(status=LawyerStatus.CANCELLED)
                self.lawyer_ids.update({h: n for n, h in qs.values_list("licence_no", "id_number_hash")})
        if kind == ImportKind.INTERNS:
            numbers = {r["supervisor"] for _n, r in rows if r.get("supervisor")}
            for chunk in _chunks(numbers):
                for number, pk, org_id in Lawyer.objects.filter(licence_no__in=chunk).values_list(
                    "licence_no", "pk", "organisation_id"
                ):
                    self.supervisors[number] = (pk, org_id)
        if kind in (ImportKind.INTERNS, ImportKind.STAFF):
            hashes = {r["id_hash"] for _n, r in rows if r.get("id_hash")}
            for chunk in _chunks(hashes):
                found: Iterable[tuple[int, str]] = (
                    Intern.objects.filter(id_number_hash__in=chunk, status=InternStatus.INTERNING)
                    if kind == ImportKind.INTERNS
                    else Staff.objects.filter(id_number_hash__in=chunk)
                ).values_list("organisation_id", "id_number_hash")
                self.people |= set(found)
        self.bureaus: dict[str, Organisation] = {}
        self.names: set[tuple[int, str]] = set()
        if kind == ImportKind.FIRMS:
            bureaus = Organisation.objects.filter(kind=OrgKind.JUSTICE_BUREAU, is_active=True)
            for org in bureaus:
                if any(org.path.startswith(p) for p in reach):
                    self.bureaus[org.name] = org
            ids = [o.pk for o in self.bureaus.values()]
            self.names = set(Organisation.objects.filter(parent_id__in=ids).values_list("parent_id", "name"))

    def in_reach(self, path: str) -> bool:
        return any(path.startswith(p) for p in self.reach)


def _firm(ctx: Context, code: str) -> int | None:
    found = ctx.firms.get(code)
    return found[0] if found is not None and ctx.in_reach(found[1]) else None


def _check_lawyer(ctx: Context, r: dict[str, Any]) -> tuple[str, str] | str:
    """An error (column key, message), or "new" / "same"."""
    org_id = _firm(ctx, r["firm"])
    if org_id is None:
        return "firm", _("名册中没有该统一社会信用代码的律师事务所，或不在您的管辖范围内。")
    r["organisation_id"] = org_id
    known = ctx.lawyers.get(r["licence_no"])
    if known is not None:
        same = known[1:] == (r["name"], r["id_hash"], org_id, r["kind"], r["status"])
        return "same" if same else ("licence_no", _("该执业证号已登记为%(name)s，与本行不一致。") % {"name": known[1]})
    holder = ctx.lawyer_ids.get(r["id_hash"])
    if holder is not None:
        return "id_number", _("该身份证号码已持有执业证%(no)s。") % {"no": holder}
    return "new"


def _check_firm(ctx: Context, r: dict[str, Any]) -> tuple[str, str] | str:
    bureau = ctx.bureaus.get(r["bureau"])
    if bureau is None:
        return "bureau", _("没有该名称的司法行政机关，或不在您的管辖范围内。")
    r["bureau_id"] = bureau.pk
    if r["credit_code"] in ctx.firms:
        return (
            "same"
            if (bureau.pk, r["name"]) in ctx.names
            else ("credit_code", _("该统一社会信用代码已登记为另一律师事务所。"))
        )
    if (bureau.pk, r["name"]) in ctx.names:
        return "name", _("该机关下已有同名机构。")
    return "new"


def _check_person(ctx: Context, r: dict[str, Any], kind: str) -> tuple[str, str] | str:
    org_id = _firm(ctx, r["firm"])
    if org_id is None:
        return "firm", _("名册中没有该统一社会信用代码的律师事务所，或不在您的管辖范围内。")
    r["organisation_id"] = org_id
    if kind == ImportKind.INTERNS:
        supervisor = ctx.supervisors.get(r["supervisor"])
        if supervisor is None or supervisor[1] != org_id:
            return "supervisor", _("指导律师须为本所在册律师。")
        r["supervisor_id"] = supervisor[0]
        if r["end"] <= r["start"]:
            return "end", _("实习结束日期应晚于开始日期。")
    if (org_id, r["id_hash"]) in ctx.people:
        return "same"
    return "new"


UNIQUE_IN_FILE: dict[str, tuple[str, ...]] = {
    ImportKind.LAWYERS: ("licence_no", "id_hash"),
    ImportKind.FIRMS: ("credit_code", "name"),
    ImportKind.INTERNS: ("id_hash",),
    ImportKind.STAFF: ("id_hash",),
}


def check(kind: str, source: IO[bytes], reach: list[str]) -> Checked:
    """Every row of *source* checked; *reach*: the importer's path prefixes."""
    columns = COLUMNS[kind]
    titles = {c.key: c.title for c in columns} | {"id_hash": gettext_lazy("身份证号码")}
    out = Checked()
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, raw in read_rows(source, columns):
        out.total += 1
        if out.total > MAX_ROWS:
            raise Unreadable(_("一次最多导入%(n)d行，请拆分文件后分批导入。") % {"n": MAX_ROWS})
        if len(out.sample) < SAMPLE_ROWS:
            out.sample.append([_text(raw.get(c.key)) for c in columns])
        clean: dict[str, Any] = {}
        ok = True
        for column in columns:
            try:
                clean[column.key] = _cell(column, raw.get(column.key))
            except ValidationError as exc:
                out.add(number, column.title, exc.messages[0])
                ok = False
        if not ok:
            continue
        if clean.get("id_number"):
            clean["id_hash"] = crypto.blind_index(clean["id_number"])
        parsed.append((number, clean))
    first_seen: dict[tuple[str, Any], int] = {}
    unique = []
    for number, r in parsed:
        clash = next(
            ((k, first_seen[(k, r[k])]) for k in UNIQUE_IN_FILE[kind] if r.get(k) and (k, r[k]) in first_seen), None
        )
        if clash is not None:
            out.add(number, titles[clash[0]], _("与第%(row)d行重复。") % {"row": clash[1]})
            continue
        for k in UNIQUE_IN_FILE[kind]:
            if r.get(k):
                first_seen[(k, r[k])] = number
        unique.append((number, r))
    ctx = Context(kind, reach, unique)
    for number, r in unique:
        if kind == ImportKind.LAWYERS:
            verdict = _check_lawyer(ctx, r)
        elif kind == ImportKind.FIRMS:
            verdict = _check_firm(ctx, r)
        else:
            verdict = _check_person(ctx, r, kind)
        if verdict == "same":
            out.unchanged += 1
        elif verdict == "new":
            out.rows.append(r)
        elif isinstance(verdict, tuple):
            out.add(number, titles[verdict[0]], verdict[1])
    return out


def template(kind: str) -> bytes:
    """An empty workbook with the columns of *kind* and, on a second sheet,
    what each column takes."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = str(ImportKind(kind).label)
    columns = COLUMNS[kind]
    sheet.append([str(c.title) for c in columns])
    notes = book.create_sheet(_("填写说明"))
    notes.append([_("列"), _("是否必填"), _("填写要求")])
    hints = {
        "id_number": _("18位居民身份证号码"),
        "mobile": _("11位手机号码"),
        "credit_code": _("18位统一社会信用代码"),
        "licence_no": _("17位执业证号"),
        "date": _("日期，例如 2020-05-01"),
    }
    for c in columns:
        if c.kind == "choice":
            hint = _("只能填写：%(all)s") % {"all": "、".join(str(label) for _v, label in c.choices.choices)}
        else:
            hint = hints.get(c.kind, _("不超过%(n)d字") % {"n": c.limit})
        notes.append([str(c.title), _("是") if c.required else _("否"), hint])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
