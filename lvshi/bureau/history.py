"""A lawyer's history: each changed field of the record, with its cause
(import, the firm's edit, a correction, an application, a penalty); written
by the services that change the record, in their transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from lvshi.core.actor import Actor

from .models import Lawyer, LawyerChange

# The fields of a lawyer's record, who may change them, how they read.
FIELDS: dict[str, tuple[Any, bool]] = {
    # name: (label, the firm may change it)
    "mobile": (gettext_lazy("手机号码"), True),
    "employer": (gettext_lazy("所在单位"), True),
    "name": (gettext_lazy("姓名"), False),
    "gender": (gettext_lazy("性别"), False),
    "kind": (gettext_lazy("律师类别"), False),
    "first_licensed_on": (gettext_lazy("首次执业日期"), False),
    "organisation": (gettext_lazy("执业机构"), False),
    "status": (gettext_lazy("执业状态"), False),
}


def record_changes(
    lawyer: Lawyer, changes: Mapping[str, tuple[str, str]], *, cause: str, reference: str = "", actor: Actor | None
) -> None:
    """Keep each changed field of *lawyer* in its history."""
    rows = [
        LawyerChange(
            lawyer=lawyer,
            field=name,
            label=str(FIELDS.get(name, (name, False))[0]),
            before=str(before or "")[:200],
            after=str(after or "")[:200],
            cause=cause,
            reference=reference[:40],
            actor=actor.user if actor is not None and actor.user is not None and actor.user.pk else None,
        )
        for name, (before, after) in changes.items()
        if str(before or "") != str(after or "")
    ]
    LawyerChange.objects.bulk_create(rows)
