"""The one mechanism for status fields (docs/decisions/0004-workflows.md):
the declaration and the conditional UPDATE. ``lvshi.audit.workflow`` adds
the audit event of each step and the history read back from them; domain
apps use that one, a foundation app below ``audit`` (``notify``) this one.

A model's workflow is declared once, as data::

    BINDING_FLOW = Workflow(
        Binding,
        organisation=lambda b: b.detainee.centre,
        transitions=[
            Transition("pass", sources=[S.PENDING], target=S.VERIFYING, verb=_("初审通过"),
                       permission="visits.review_binding"),
            Transition("return", sources=[S.PENDING, S.VERIFYING], target=S.RETURNED, verb=_("退回"),
                       permission="visits.review_binding", reason=True),
            ...
        ],
        deadlines={S.PENDING: timedelta(days=3)},
    )

and applied in the service that owns the use case::

    old = BINDING_FLOW.apply(binding, "return", actor=actor, reason=reason,
                             values={"reviewed_at": now}, notify=lambda: ...)

``apply`` checks the actor's named permission on the object (403), the
reason when the transition needs one, and the transition's own condition;
then it runs ``UPDATE … SET status = target WHERE pk = … AND status IN
(sources)``. A lost race updates nothing and answers ``wrong_status`` (409)
with nothing changed. The audit event (action, from, to, reason) is written
in the same transaction and the notification is scheduled on commit.

The history of any workflow object (who, when, from, to, reason) is read
back from those audit events by :meth:`Workflow.history`; :meth:`overdue`
finds the objects that stayed in a state longer than its deadline.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

import rules
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .actor import Actor
from .errors import Conflict, DomainError, PermissionDenied
from .text import StrOrPromise, clean_text

M = TypeVar("M", bound=models.Model)


def _may(user: Any, permission: str, obj: Any) -> bool:
    # The declared rule itself (see lvshi.orgs.scope.can), not Django's has_perm().
    return bool(getattr(user, "is_authenticated", False) and user.is_active and rules.has_perm(permission, user, obj))


REASON_MAX = 300
# The permission of a transition only a periodic job makes (no user acts).
SYSTEM = ""


@dataclass(frozen=True)
class Transition(Generic[M]):
    """One move of a status field.

    *permission* is a named rule (``rules``), checked with
    the declared rule ``(permission, user, obj)``, or :data:`SYSTEM` for a move only a
    periodic job makes (applied with ``actor=Actor.system(job)``); *condition* returns a refusal
    (a ``DomainError``) or None, for rules beyond the status (a deadline not
    passed, a document present); *reason* makes a non-empty reason
    mandatory; *action* is the audit action (default ``<app>.<model>_<name>``).
    """

    name: str
    sources: tuple[str, ...]
    target: str
    verb: StrOrPromise
    permission: str
    reason: bool = False
    condition: Callable[[M], DomainError | None] | None = None
    action: str = ""

    def __init__(
        self,
        name: str,
        *,
        sources: Iterable[str],
        target: str,
        verb: StrOrPromise,
        permission: str,
        reason: bool = False,
        condition: Callable[[M], DomainError | None] | None = None,
        action: str = "",
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "sources", tuple(str(s) for s in sources))
        object.__setattr__(self, "target", str(target))
        object.__setattr__(self, "verb", verb)
        object.__setattr__(self, "permission", permission)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "condition", condition)
        object.__setattr__(self, "action", action)


@dataclass
class Workflow(Generic[M]):
    model: type[M]
    transitions: Iterable[Transition[M]]
    # The organisation an object's events belong to (the audit scope).
    organisation: Callable[[M], Any] = field(default=lambda obj: None)
    status_field: str = "status"
    # How long an object may stay in a state; see overdue().
    deadlines: Mapping[str, timedelta] = field(default_factory=dict)
    # The field that holds when the object entered its current state.
    entered_field: str = ""
    # The audit actions' prefix (default "<app>.<model>"): "<prefix>_<transition>".
    action_prefix: str = ""

    def __post_init__(self) -> None:
        self.by_name: dict[str, Transition[M]] = {}
        choices = {str(v) for v, _label in self._status_choices()}
        for t in self.transitions:
            if t.name in self.by_name:
                raise ValueError(f"{self.model.__name__}: transition {t.name!r} declared twice")
            unknown = {*t.sources, t.target} - choices
            if choices and unknown:
                raise ValueError(f"{self.model.__name__}.{t.name}: unknown states {sorted(unknown)}")
            self.by_name[t.name] = t
        if self.deadlines and not self.entered_field:
            raise ValueError(f"{self.model.__name__}: deadlines need entered_field")
        self.transitions = tuple(self.by_name.values())

    # --- reading --------------------------------------------------------------------

    def status(self, obj: M) -> str:
        return str(getattr(obj, self.status_field))

    def allowed(self, obj: M, user: Any = None) -> list[Transition[M]]:
        """The transitions *obj*'s status allows (and *user* may make, if given)."""
        return [
            t
            for t in self.transitions
            if self.status(obj) in t.sources
            and (user is None or (t.permission != SYSTEM and _may(user, t.permission, obj)))
        ]

    def can(self, obj: M, name: str, user: Any = None) -> bool:
        return any(t.name == name for t in self.allowed(obj, user))

    def action_of(self, t: Transition[M]) -> str:
        meta = self.model._meta
        return t.action or f"{self.action_prefix or f'{meta.app_label}.{meta.model_name}'}_{t.name}"

    def overdue(self, queryset: models.QuerySet[M] | None = None, *, now: datetime | None = None) -> models.QuerySet[M]:
        """Objects that stayed in a state with a deadline for longer than it."""
        now = now or timezone.now()
        qs = queryset if queryset is not None else self.model._default_manager.all()
        late = models.Q(pk__in=[])
        for state, limit in self.deadlines.items():
            late |= models.Q(**{self.status_field: state, f"{self.entered_field}__lt": now - limit})
        return qs.filter(late)

    # --- writing --------------------------------------------------------------------

    def apply(
        self,
        obj: M,
        name: str,
        *,
        actor: Actor,
        reason: str = "",
        values: Mapping[str, Any] | None = None,
        fields: Iterable[str] = (),
        details: Mapping[str, Any] | None = None,
        message: str = "",
        notify: Callable[[], None] | None = None,
        organisation: Any = None,
        only_from: Iterable[str] | None = None,
        where: Mapping[str, Any] | None = None,
    ) -> M:
        """Carry out transition *name* on *obj* for *actor*.

        Returns a copy of *obj* as it was before; *obj* is reloaded. *values*
        are written in the same UPDATE; the audit event records the status and
        *fields* before and after (and *details* after), with the reason (or
        *message*); *notify*
        runs after the commit; *organisation* overrides the declared one (a
        step forwarded up the tree is recorded in the organisation that
        acted). *only_from* narrows the sources for this call (to learn which
        state the object left); *where* adds conditions to the UPDATE (an
        offer not yet expired): unmet, the call answers like a lost race."""
        t = self.by_name[name]
        if t.permission == SYSTEM:
            if not actor.is_system:
                raise ValueError(f"{self.model.__name__}.{name} is made by a periodic job: pass Actor.system(job)")
        elif not _may(actor.user, t.permission, obj):
            raise PermissionDenied(message=_("您的角色无权%(verb)s。") % {"verb": t.verb})
        reason = self._reason(t, reason)
        if t.condition is not None and (refusal := t.condition(obj)) is not None:
            raise refusal
        sources = list(t.sources) if only_from is None else [str(v) for v in only_from]
        if not set(sources) <= set(t.sources):
            raise ValueError(f"{self.model.__name__}.{name}: {sources} are not all sources of the transition")
        row = dict(values or {})
        if self.entered_field:
            row.setdefault(self.entered_field, timezone.now())
        with transaction.atomic():
            before = copy.copy(obj)
            updated = self.model._default_manager.filter(
                pk=obj.pk, **{f"{self.status_field}__in": sources}, **(where or {})
            ).update(**{self.status_field: t.target}, **row)
            if not updated:
                obj.refresh_from_db(fields=[self.status_field])
                raise self.wrong_status(obj, t)
            obj.refresh_from_db()
            self.record(
                t,
                before,
                obj,
                actor=actor,
                reason=reason or message,
                fields=fields,
                details=details,
                organisation=organisation if organisation is not None else self.organisation(obj),
            )
            if notify is not None:
                transaction.on_commit(notify)
        return before

    def record(self, t: Transition[M], before: M, obj: M, **step: Any) -> None:
        """Keep the record of one step (the audited workflow writes its event)."""

    def apply_many(self, queryset: models.QuerySet[M], name: str, *, values: Mapping[str, Any] | None = None) -> int:
        """A periodic job's transition of every object of *queryset* still in
        a source state, in one conditional UPDATE; returns how many moved.
        Only for :data:`SYSTEM` transitions of workflows that keep no per-step
        record (the objects carry their own: attempts, errors, times)."""
        t = self.by_name[name]
        if t.permission != SYSTEM or type(self).record is not Workflow.record:
            raise ValueError(f"{self.model.__name__}.{name}: apply_many is for unrecorded periodic jobs only")
        return queryset.filter(**{f"{self.status_field}__in": list(t.sources)}).update(
            **{self.status_field: t.target}, **dict(values or {})
        )

    def _status_choices(self) -> list[tuple[Any, Any]]:
        field = self.model._meta.get_field(self.status_field)
        return list(getattr(field, "choices", None) or [])

    def wrong_status(self, obj: M, t: Transition[M]) -> DomainError:
        label = dict(self._status_choices()).get(self.status(obj), self.status(obj))
        return Conflict(
            "wrong_status",
            _("该%(what)s当前状态为“%(status)s”，不能%(verb)s。请刷新页面查看最新状态。")
            % {"what": self.model._meta.verbose_name, "status": label, "verb": t.verb},
        )

    @staticmethod
    def _reason(t: Transition, reason: str | None) -> str:
        return clean_text(
            reason,
            field=None,
            code="reason",
            label=_("原因"),
            limit=REASON_MAX,
            required=_("请填写%(verb)s的原因。") % {"verb": t.verb} if t.reason else "",
        )
