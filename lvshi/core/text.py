"""Text a person typed, checked once against the field that stores it.

:func:`clean_text` is the one place a service checks a text input: it strips
it, refuses characters no database stores (NUL, lone surrogates), refuses an
empty value when one is required, and refuses a value longer than the
model field's ``max_length`` (or a given limit, for a ``TextField``), with a
message that names the field by its ``verbose_name``. The limit is read from
the model, so it is never written twice."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .errors import DomainError

FieldRef = models.Field | tuple[type[models.Model], str]
# A text or a lazy translation of one (``gettext_lazy``), as labels are declared.
StrOrPromise = str | Promise


def max_length(model: type[models.Model], name: str) -> int:
    """The ``max_length`` of *model*'s field *name*, for a limit declared once."""
    found = _field((model, name)).max_length
    if found is None:
        raise TypeError(f"{model.__name__}.{name} has no max_length")
    return found


def _field(ref: FieldRef) -> models.Field:
    if isinstance(ref, tuple):
        model, name = ref
        found = model._meta.get_field(name)
        if not isinstance(found, models.Field):
            raise TypeError(f"{model.__name__}.{name} is not a concrete field")
        return found
    return ref


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_text(
    value: Any,
    *,
    field: FieldRef | None,
    required: str = "",
    code: str = "",
    label: str = "",
    limit: int | None = None,
) -> str:
    """*value* stripped, for *field* (a model field or ``(Model, "name")``;
    None for a text no field stores as such, with *code*, *label* and *limit*).

    *required* is the message for an empty value (which is then refused with
    ``<code>_required``); without it an empty value is returned as ``""``.
    Too long is ``<code>_too_long``; *code* defaults to the field's name and
    *label* to its ``verbose_name``; *limit* overrides ``max_length``."""
    target = _field(field) if field is not None else None
    if target is None and not (code and label and limit is not None):
        raise TypeError("clean_text without a field needs code, label and limit")
    code = code or (target.name if target is not None else "")
    label = label or (str(target.verbose_name) if target is not None else "")
    text = "" if value is None else str(value).strip()
    if not _storable(text):
        raise DomainError(f"{code}_invalid", _("%(label)s含有无法保存的字符，请删除后重新输入。") % {"label": label})
    if not text:
        if required:
            raise DomainError(f"{code}_required", required)
        return ""
    most = limit if limit is not None else (target.max_length if target is not None else None)
    if most is not None and len(text) > most:
        raise DomainError(
            f"{code}_too_long",
            _("%(label)s不能超过%(n)d字（现为%(length)d字），请精简后再提交。")
            % {"label": label, "n": most, "length": len(text)},
        )
    return text
