"""What each audit action is called on the audit pages and in exports.

An event stores its action as a stable code (``visits.booking_create``);
people read its name (``预约会见``). Each app names the actions it records
in its own ``audit_actions.py`` and registers them from its
``AppConfig.ready()``: plain actions by a dictionary, and the workflows'
transitions from their declarations (the object and the transition's verb,
e.g. ``会见预约：审核通过``). The admin site's generic actions
(``admin.<model>_add|change|delete``) are named from the model. An action
nobody named shows its code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lvshi.core.text import StrOrPromise

# A name, or (object, verb) for a workflow's transition: put together when
# shown, in the language of the page.
_labels: dict[str, StrOrPromise | tuple[StrOrPromise, StrOrPromise]] = {}

_ADMIN_OPERATIONS = {
    "add": _("新增"),
    "create": _("新增"),
    "change": _("修改"),
    "update": _("修改"),
    "delete": _("删除"),
}


def register(labels: Mapping[str, StrOrPromise] = {}, *, workflows: Iterable[Any] = ()) -> None:
    """Name *labels*' actions, and every transition of *workflows* (an
    action already named keeps its name: two transitions sharing an action
    are named by the dictionary)."""
    for action, text in labels.items():
        if action in _labels and _labels[action] != text:
            raise ValueError(f"audit action {action!r} is named twice")
        _labels[action] = text
    for flow in workflows:
        noun = flow.model._meta.verbose_name
        for transition in flow.transitions:
            _labels.setdefault(flow.action_of(transition), (noun, transition.verb))


def _admin_label(action: str) -> str | None:
    family, _dot, rest = action.partition(".")
    name, _sep, operation = rest.rpartition("_")
    if family != "admin" or operation not in _ADMIN_OPERATIONS:
        return None
    models = [m for m in apps.get_models() if m._meta.model_name == name]
    noun = str(models[0]._meta.verbose_name) if len(models) == 1 else name
    return gettext("后台管理：%(operation)s%(object)s") % {"operation": _ADMIN_OPERATIONS[operation], "object": noun}


def label(action: str) -> str:
    """The name of *action*, or its code when nobody named it."""
    named = _labels.get(action)
    if isinstance(named, tuple):
        return gettext("%(object)s：%(verb)s") % {"object": named[0], "verb": named[1]}
    if named is not None:
        return str(named)
    return _admin_label(action) or action


def named(action: str) -> bool:
    return action in _labels or _admin_label(action) is not None
