"""Model rows from plain SQL built once per process.

For the few hot reads where building and compiling an ORM query costs more
than running it: :func:`columns` names a model's concrete columns under a
table alias (table and column names come from the models' metadata, never
from input), :func:`reader` prepares each field's converters once, and
:func:`instance` turns the row's values into a model instance as the ORM
would (``from_db``: not added, not changed)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db import connection


def column(model, name: str) -> str:
    """The quoted column of *model*'s field *name* (``"centre_id"`` for ``centre``)."""
    return connection.ops.quote_name(model._meta.get_field(name).column)


def columns(model, alias: str) -> str:
    """``alias."col1", alias."col2", …`` of *model*'s concrete fields."""
    qn = connection.ops.quote_name
    return ", ".join(f"{alias}.{qn(f.column)}" for f in model._meta.concrete_fields)


def reader(model, alias: str) -> tuple:
    """(model, attnames, [(converters, col)]) for :func:`instance`."""
    fields = []
    for field in model._meta.concrete_fields:
        col = field.get_col(alias)
        fields.append((connection.ops.get_db_converters(col) + field.get_db_converters(connection), col))
    return model, [f.attname for f in model._meta.concrete_fields], fields


def instance(read: tuple, values):
    model, attnames, fields = read
    converted = []
    for (converters, col), value in zip(fields, values, strict=True):
        for converter in converters:
            value = converter(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, attnames, converted)


@lru_cache(maxsize=64)
def _converters(field, vendor: str) -> tuple:
    col = field.get_col(field.model._meta.db_table)
    return tuple(connection.ops.get_db_converters(col) + field.get_db_converters(connection)), col


def convert(field, value):
    """*value* as read from the database, converted as *field*'s would be."""
    converters, col = _converters(field, connection.vendor)
    for converter in converters:
        value = converter(value, col, connection)
    return value


def table(model) -> str:
    """The quoted table of *model*."""
    return connection.ops.quote_name(model._meta.db_table)


def col(model, name: str, alias: str = "") -> str:
    """``alias."column"`` of *model*'s field *name* (the bare quoted column
    without *alias*): every column of a plain statement is named through
    the model, never typed by hand."""
    return f"{alias}.{column(model, name)}" if alias else column(model, name)


class Statement:
    """SQL compiled once from an ORM queryset, whose parameters are filled
    per call by name: the ORM states the condition once, the hot path skips
    its compiling.

    Build it with marker values standing for the call's values (a value no
    real row has: a negative id, a date in year 1001); each parameter equal
    to a marker becomes that name, every other parameter stays as compiled
    (the constants of the condition)."""

    def __init__(self, queryset, **markers) -> None:
        sql, params = queryset.query.sql_with_params()
        self.sql: str = sql
        # Per parameter: the name of the call's value, or None and the constant.
        self._slots: list[tuple[str | None, Any]] = []
        for param in params:
            name = next((n for n, marker in markers.items() if _adapt(marker) == param), None)
            self._slots.append((name, None) if name is not None else (None, param))
        missing = set(markers) - {name for name, _const in self._slots}
        if missing:
            raise ValueError(f"markers not found in the compiled query: {sorted(missing)}")

    def params(self, **values: Any) -> list[Any]:
        return [_adapt(values[name]) if name is not None else const for name, const in self._slots]


def _adapt(value):
    """A value as the ORM passes it to the database for a field of its type."""
    import datetime

    ops = connection.ops
    if isinstance(value, datetime.datetime):
        return ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return ops.adapt_datefield_value(value)
    if isinstance(value, datetime.time):
        return ops.adapt_timefield_value(value)
    return value
