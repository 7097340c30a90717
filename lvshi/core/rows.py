"""Model rows from plain SQL built once per process.

For the few hot reads where building and compiling an ORM query costs more
than running it: :func:`columns` names a model's concrete columns under a
table alias (table and column names come from the models' metadata, never
from input), :func:`reader` prepares each field's converters once, and
:func:`instance` turns the row's values into a model instance as the ORM
would (``from_db``: not added, not changed)."""

from __future__ import annotations

from functools import lru_cache

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
