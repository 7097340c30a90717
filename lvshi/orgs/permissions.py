"""One permission path for pages and API operations.

Every permission is a named rule (``rules``), declared once in its app's
``rules.py`` with :func:`declare`, with the sentence a refused user reads.
A page view declares the permission it needs with :func:`page`, an API
operation with :func:`operation`; ``tests/test_access.py`` fails for a view
or operation that declares none. The decorators check the page-level rule
(without an object: "may this user use these pages at all?"); objects are
then loaded through the app's ``access.py``, which answers 404 outside the
user's scope and 403 inside it without the right (``scope.get_or_404``).
List queries go through :func:`visible`.

Two rules every app may use: :data:`PUBLIC` (anyone, no sign-in) and
:data:`SIGNED_IN` (any signed-in user, for pages of one's own data)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from ninja.utils import contribute_operation_callback

from lvshi.core.errors import PermissionDenied
from lvshi.core.text import StrOrPromise

from . import scope

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound=Model)

PUBLIC = "public"
SIGNED_IN = "orgs.signed_in"


@dataclass(frozen=True)
class Rule:
    """A declared permission: the roles it is given to in the organisation
    tree (at the object's organisation or above it), whether platform
    administrators have it, any further predicate (the object's own lawyer),
    and the sentence a refused user reads."""

    name: str
    roles: tuple[str, ...]
    platform_admin: bool
    denied: StrOrPromise


_rules: dict[str, Rule] = {}


@rules.predicate
def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def declare(
    name: str,
    *,
    roles: tuple[str, ...] | list[str] = (),
    platform_admin: bool = False,
    also: Any = None,
    denied: StrOrPromise = "",
) -> Rule:
    """Declare permission *name*: given to *roles* in scope (see
    :func:`scope.role_in_scope`), to platform administrators with
    *platform_admin*, and to whoever *also* (a ``rules`` predicate) admits;
    *denied* says what a refused user should do instead."""
    predicate = None
    for part in (
        scope.role_in_scope(*roles) if roles else None,
        scope.platform_admin if platform_admin else None,
        also,
    ):
        if part is not None:
            predicate = part if predicate is None else predicate | part
    if predicate is None:
        raise ValueError(f"{name}: give roles, platform_admin or also")
    if rules.perm_exists(name):
        rules.remove_perm(name)
    rules.add_perm(name, predicate)
    rule = Rule(name=name, roles=tuple(roles), platform_admin=platform_admin, denied=denied)
    _rules[name] = rule
    return rule


def denied_message(name: str) -> str:
    rule = _rules.get(name)
    return str((rule.denied if rule else "") or _("您的账户无权使用此功能。如需开通，请联系所在机构的管理员。"))


def allowed(user: Any, name: str, obj: Any = None) -> bool:
    """Whether *user* has permission *name* (on *obj*): the one check."""
    return name == PUBLIC or scope.can(user, name, obj)


def require(user: Any, name: str, obj: Any = None) -> None:
    """Refuse with the permission's sentence (a 403) unless :func:`allowed`."""
    if not allowed(user, name, obj):
        raise PermissionDenied(message=denied_message(name))


def page(name: str) -> Callable[[F], F]:
    """A page view needing permission *name*: anonymous visitors go to the
    login page (unless :data:`PUBLIC`), a signed-in user without it gets the
    403 page with the permission's sentence."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if name != PUBLIC:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if not allowed(request.user, name):
                    raise HttpForbidden(denied_message(name))
            return view(request, *args, **kwargs)

        wrapper.permission = name  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def operation(name: str) -> Callable[[F], F]:
    """An API operation needing permission *name* of the token's user: a 403
    ``{code, message}`` with the permission's sentence otherwise, checked
    once ninja has read the input. Put it below the router's decorator."""

    def decorate(handler: F) -> F:
        def guard(op: Any) -> None:
            inner = op.view_func

            @functools.wraps(inner)
            def checked(request: Any, *args: Any, **kwargs: Any) -> Any:
                if name != PUBLIC:
                    require(getattr(request, "auth", None), name)
                return inner(request, *args, **kwargs)

            op.view_func = checked

        # After ninja has read the handler's signature (its annotations are
        # the handler's own), the operation calls the checked handler.
        contribute_operation_callback(handler, guard)
        handler.permission = name  # type: ignore[attr-defined]
        return handler

    return decorate


def visible(user: Any, queryset: QuerySet[M], name: str, *, field: str | None = "organisation") -> QuerySet[M]:
    """The rows of *queryset* *user* may see under permission *name*: every
    row for a platform administrator when the rule gives them it, else the
    rows whose *field* (an organisation; None: the rows are organisations)
    lies at or below an organisation where the user holds one of the rule's
    roles; none for anyone else."""
    rule = _rules[name]
    if rule.platform_admin and scope.is_platform_admin(user):
        return queryset
    if not rule.roles or not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(scope.org_q(user, *rule.roles, field=field))


def rule_of(name: str) -> Rule:
    return _rules[name]


declare(SIGNED_IN, also=_signed_in)
