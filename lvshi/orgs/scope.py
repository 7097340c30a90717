"""The one place that answers "may user U do action A on object O?".

Every permission in the platform is a role held in an organisation, and it
reaches that organisation and (for supervising bodies) everything below it.
Object rules are registered with ``rules`` in each app's ``rules.py`` and
built from the predicates here; views and API handlers load objects through
:func:`get_or_404`, so an object outside the user's scope answers 404 and
never reveals that it exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import rules
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from lvshi.core.errors import PermissionDenied

from .models import STAFF_ROLES, Organisation, Role

_CACHE_ATTR = "_lvshi_grants"


@dataclass(frozen=True, slots=True)
class Grant:
    org_id: int
    path: str
    kind: str
    role: str
    org_name: str


def grants(user) -> tuple[Grant, ...]:
    """The user's active memberships, loaded once per request (one query)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        rows = user.memberships.filter(is_active=True, organisation__is_active=True).values_list(
            "organisation_id", "organisation__path", "organisation__kind", "role", "organisation__name"
        )
        cached = tuple(Grant(*row) for row in rows)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user) -> None:
    """Drop the cached grants after memberships change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_platform_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def roles_of(user) -> set[str]:
    return {g.role for g in grants(user)}


def has_role(user, *roles: str) -> bool:
    wanted = set(roles)
    return any(g.role in wanted for g in grants(user))


def _path_of(target: Organisation | str) -> str:
    return target if isinstance(target, str) else target.path


def has_role_at(user, target: Organisation | str, *roles: str, subtree: bool = True) -> bool:
    """True when the user holds one of *roles* in *target*, or (with
    ``subtree``) in an organisation above it."""
    path = _path_of(target)
    wanted = set(roles)
    for g in grants(user):
        if g.role in wanted and (path == g.path or (subtree and path.startswith(g.path))):
            return True
    return False


def orgs_for(user, *roles: str, subtree: bool = True) -> QuerySet[Organisation]:
    """Organisations in which the user acts with one of *roles*."""
    return Organisation.objects.filter(org_q(user, *roles, subtree=subtree, field=None))


def org_q(user, *roles: str, subtree: bool = True, field: str | None = "organisation") -> Q:
    """A filter for objects whose organisation (``field``) lies in the user's
    scope for *roles*. Matches nothing when the user has no such role."""
    prefix = f"{field}__" if field else ""
    q = Q(pk__in=[])
    wanted = set(roles)
    for g in grants(user):
        if g.role in wanted:
            q |= Q(**{f"{prefix}path__startswith": g.path}) if subtree else Q(**{f"{prefix}pk": g.org_id})
    return q


def requires_two_factor(user) -> bool:
    """Staff of courts, centres, bureaus and platform admins must use TOTP."""
    return is_platform_admin(user) or any(g.role in STAFF_ROLES for g in grants(user))


# --- predicates for rules ---------------------------------------------------


def role_in_scope(*roles: str, subtree: bool = True, org_attr: str = "scope_org"):
    """A ``rules`` predicate: the user holds one of *roles* at the object's
    organisation (``obj.<org_attr>``, or the object itself if it is an
    Organisation) or above it."""

    @rules.predicate(name=f"role_in_scope({','.join(roles)})")
    def _predicate(user, obj=None) -> bool:
        if obj is None:
            return has_role(user, *roles)
        org = obj if isinstance(obj, Organisation) else getattr(obj, org_attr, None)
        if org is None:
            return False
        return has_role_at(user, org, *roles, subtree=subtree)

    return _predicate


platform_admin = rules.predicate(is_platform_admin, name="platform_admin")


def can(user, action: str, obj=None) -> bool:
    """Whether *user* has the declared rule *action* (on *obj*). The rule
    itself, not ``user.has_perm()``: Django's model permissions (and its
    "a superuser may do anything") are not how this platform grants
    anything; platform administrators have what their rules give them."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and rules.has_perm(action, user, obj))


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied()


def get_or_404(user, action: str, queryset: QuerySet | type[Model], *, read_action: str | None = None, **lookup):
    """Load one object for *user* to do *action* on.

    Outside the user's scope → 404, as if it did not exist. When the user may
    read it (``read_action``) but not do *action* → 403.
    """
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    try:
        obj = qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if can(user, action, obj):
        return obj
    if read_action and can(user, read_action, obj):
        raise PermissionDenied()
    raise Http404


def all_roles() -> Iterable[str]:
    return Role.values
