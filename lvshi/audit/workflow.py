"""The audited workflow: :class:`lvshi.core.workflow.Workflow` whose every
step writes its audit event (action, status and named fields before and
after, the reason) in the transaction of the conditional UPDATE, and whose
history (who, when, from, to, reason) is read back from those events in one
query. Every domain app's status fields use it (docs/decisions/0004-workflows.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lvshi.core import workflow as core
from lvshi.core.workflow import REASON_MAX, SYSTEM, M, Transition

from .diff import diff
from .models import AuditEvent
from .services import audit_record

__all__ = ["REASON_MAX", "SYSTEM", "Step", "Transition", "Workflow"]


@dataclass(frozen=True)
class Step:
    """One line of an object's history."""

    at: datetime
    actor_id: int | None
    actor: str
    transition: str
    verb: str
    source: str
    target: str
    source_label: str
    target_label: str
    reason: str


class Workflow(core.Workflow[M]):
    def record(self, t: Transition[M], before: M, obj: M, **step: Any) -> None:
        changed_before, changed_after = diff(before, obj, [self.status_field, *step["fields"]])
        audit_record(
            action=self.action_of(t),
            actor=step["actor"],
            obj=obj,
            organisation=step["organisation"],
            before=changed_before,
            after={**(changed_after or {}), **(step["details"] or {})},
            message=step["reason"],
        )

    def history(self, obj: M) -> list[Step]:
        """Every transition *obj* went through, oldest first: who, when, from,
        to and the reason, read from the audit events ``apply`` wrote."""
        # Two transitions may share an audit action (uphold / reject → decide); the target tells them apart.
        actions: dict[tuple[str, str], Transition[M]] = {}
        for t in self.transitions:
            actions.setdefault((self.action_of(t), t.target), t)
        labels = {str(v): str(label) for v, label in self._status_choices()}
        events = (
            AuditEvent.objects.filter(
                object_type=self.model._meta.label_lower, object_id=str(obj.pk), action__in={a for a, _t in actions}
            )
            .select_related("actor")
            .order_by("occurred_at", "id")
        )
        steps = []
        for e in events:
            source = str((e.before or {}).get(self.status_field, ""))
            target = str((e.after or {}).get(self.status_field, ""))
            found = actions.get((e.action, target))
            if found is None:
                continue  # an event of the same action that did not change the status
            steps.append(
                Step(
                    at=e.occurred_at,
                    actor_id=e.actor_id,
                    actor=e.actor.name if e.actor else e.actor_label,
                    transition=found.name,
                    verb=str(found.verb),
                    source=source,
                    target=target,
                    source_label=labels.get(source, source),
                    target_label=labels.get(target, target),
                    reason=e.message,
                )
            )
        return steps
