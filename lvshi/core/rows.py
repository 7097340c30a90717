"""Model rows from plain SQL built once per process.

For the few hot reads where building and compiling an ORM query costs more
than running it: :func:`columns` names a model's concrete columns under a
table alias (table and column names come from the models' metadata, never
from input), :func:`reader` prepares each field's converters once, and
:func:`instance` turns the row's values into a model instance as the ORM
would (``from_db``: not added, not changed)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import NOT_PROVIDED, Field, Model
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery

if TYPE_CHECKING:
    from django.db.models import QuerySet


def column(model: type[Model], name: str) -> str:
    """The quoted column of *model*'s field *name* (``"centre_id"`` for ``centre``)."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return connection.ops.quote_name(field.column)


def columns(model: type[Model], alias: str) -> str:
    """``alias."col1", alias."col2", …`` of *model*'s concrete fields."""
    qn = connection.ops.quote_name
    return ", ".join(f"{alias}.{qn(f.column)}" for f in model._meta.concrete_fields)


def reader(model: type[Model], alias: str) -> tuple:
    """(model, attnames, [(converters, col)]) for :func:`instance`."""
    fields = []
    for field in model._meta.concrete_fields:
        col = field.get_col(alias)
        fields.append((connection.ops.get_db_converters(col) + _field_converters(field), col))
    return model, [f.attname for f in model._meta.concrete_fields], fields


def _field_converters(field: Field) -> list[Any]:
    # Field.get_db_converters exists on every field; the stubs leave it out.
    return list(field.get_db_converters(connection))  # type: ignore[attr-defined]


def instance(read: tuple, values: Any) -> Any:
    model, attnames, fields = read
    converted = []
    for (converters, col), value in zip(fields, values, strict=True):
        for converter in converters:
            value = converter(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, attnames, converted)


@lru_cache(maxsize=64)
def _converters(field: Any, vendor: str) -> tuple:
    col = field.get_col(field.model._meta.db_table)
    return tuple(connection.ops.get_db_converters(col) + field.get_db_converters(connection)), col


def convert(field: Any, value: Any) -> Any:
    """*value* as read from the database, converted as *field*'s would be."""
    converters, col = _converters(field, connection.vendor)
    for converter in converters:
        value = converter(value, col, connection)
    return value


def table(model: type[Model]) -> str:
    """The quoted table of *model*."""
    return connection.ops.quote_name(model._meta.db_table)


def col(model: type[Model], name: str, alias: str = "") -> str:
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

    def __init__(self, queryset: QuerySet[Any], **markers: Any) -> None:
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


def _adapt(value: Any) -> Any:
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


@lru_cache(maxsize=32)
def _insert_plan(model: type[Model], vendor: str) -> tuple[str, tuple[Any, ...], tuple[Any, ...]]:
    """The INSERT of one *model* row as the ORM compiles it for ``save()``
    (every local concrete column but the automatic key, ``RETURNING`` the
    key), compiled once per process and database vendor."""
    meta = model._meta
    fields = tuple(f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated)
    if any(f.db_default is not NOT_PROVIDED for f in fields):  # the ORM writes DEFAULT for those: not one statement
        raise TypeError(f"{model.__name__} has database defaults; save() it")
    returning = tuple(meta.db_returning_fields)
    query = InsertQuery(model)
    query.insert_values(fields, [model()])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = list(returning)
    ((sql, _params),) = compiler.as_sql()
    return sql, fields, returning


def insert(obj: Model, *, along: tuple[str, list[Any]] | None = None) -> None:
    """Save the new *obj* as ``obj.save(force_insert=True)`` would, with the
    statement compiled once per model (:func:`_insert_plan`) instead of on
    every call: fields' ``pre_save`` and database preparation, the key read
    back, the instance marked saved. A model with ``save`` signal receivers,
    a value that is an expression, or a database that cannot return the key
    from an INSERT goes through ``save()`` itself, so nothing is skipped.

    *along* is another write (SQL, parameters) of the same transaction: on
    PostgreSQL it runs in the same statement, as a data-modifying ``WITH``
    (one round trip fewer); elsewhere just before the INSERT."""
    model = type(obj)
    values: list[Any] = []
    if not (
        pre_save.has_listeners(model)
        or post_save.has_listeners(model)
        or not connection.features.can_return_columns_from_insert
    ):
        sql, fields, returning = _insert_plan(model, connection.vendor)
        # What save() checks first: no unsaved object behind a foreign key
        # (Django's own step, not in the stubs).
        obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
        values = [f.pre_save(obj, True) for f in fields]
    if not values or any(hasattr(value, "resolve_expression") for value in values):
        if along is not None:
            with connection.cursor() as cursor:
                cursor.execute(*along)
        obj.save(force_insert=True)
        return
    params = [f.get_db_prep_save(value, connection) for f, value in zip(fields, values, strict=True)]
    with connection.cursor() as cursor:
        if along is not None and connection.vendor == "postgresql":
            cursor.execute(f"WITH along AS ({along[0]}) {sql}", [*along[1], *params])
        else:
            if along is not None:
                cursor.execute(*along)
            cursor.execute(sql, params)
        row = connection.ops.fetch_returned_insert_columns(cursor, [])
    for field, value in zip(returning, row, strict=True):
        setattr(obj, field.attname, convert(field, value))
    obj._state.adding = False
    obj._state.db = connection.alias
