"""Who sees what in lawyer administration: a justice bureau its subtree; a
bar association the subtree of the bureau it sits under (the Guangzhou bar
association sees Guangzhou's firms and lawyers); a firm only itself.

Built on :mod:`lvshi.orgs.scope` (grants loaded once per request): a
bar association's grant reaches its parent's path, which is its own path
without the last segment, so no query is added."""

from __future__ import annotations

import rules
from django.db.models import Q

from lvshi.orgs import scope
from lvshi.orgs.models import Organisation, OrgKind, Role

BODY_ROLES = (Role.BUREAU_CLERK, Role.BAR_STAFF)
BUREAU = (Role.BUREAU_CLERK,)
BAR = (Role.BAR_STAFF,)
FIRM = (Role.FIRM_ADMIN,)


def reach_of(kind: str, path: str) -> str:
    """The path prefix a body of *kind* at *path* reaches: a bar association's
    is the bureau it sits under, every other body's its own subtree."""
    if kind == OrgKind.BAR_ASSOCIATION:
        parts = path.strip("/").split("/")
        if len(parts) > 1:
            return "/" + "/".join(parts[:-1]) + "/"
    return path


def _reach(grant: scope.Grant) -> str:
    return reach_of(grant.kind, grant.path)


def reaches(user, roles: tuple[str, ...]) -> list[str]:
    wanted = set(roles)
    return [_reach(g) if g.role in BODY_ROLES else g.path for g in scope.grants(user) if g.role in wanted]


def jurisdiction_q(user, roles: tuple[str, ...], field: str | None = "organisation") -> Q:
    """Rows whose organisation (*field*) lies within the user's reach for
    *roles*: a body's jurisdiction, a firm administrator's own firm."""
    prefix = f"{field}__" if field else ""
    q = Q(pk__in=[])
    for g in scope.grants(user):
        if g.role not in roles:
            continue
        if g.role in BODY_ROLES:
            q |= Q(**{f"{prefix}path__startswith": _reach(g)})
        else:
            q |= Q(**{f"{prefix}pk": g.org_id})
    return q


def within(user, org: Organisation | None, roles: tuple[str, ...]) -> bool:
    if org is None:
        return False
    for g in scope.grants(user):
        if g.role not in roles:
            continue
        if g.role in BODY_ROLES:
            if org.path.startswith(_reach(g)):
                return True
        elif org.pk == g.org_id:
            return True
    return False


def acts_at(user, org: Organisation | None, roles: tuple[str, ...]) -> bool:
    """The user holds one of *roles* in *org* itself (a step's body acts)."""
    return org is not None and any(g.org_id == org.pk and g.role in roles for g in scope.grants(user))


def in_jurisdiction(*roles: str, org_attr: str = "scope_org"):
    """A ``rules`` predicate: the object's organisation is within reach."""

    @rules.predicate(name=f"in_jurisdiction({','.join(roles)})")
    def _predicate(user, obj=None) -> bool:
        if obj is None:
            return scope.has_role(user, *roles)
        org = obj if isinstance(obj, Organisation) else getattr(obj, org_attr, None)
        return within(user, org, roles)

    return _predicate


def body_of(user, roles: tuple[str, ...] = BODY_ROLES) -> list[int]:
    """The bodies (organisation ids) where the user acts with *roles*."""
    return [g.org_id for g in scope.grants(user) if g.role in roles]
