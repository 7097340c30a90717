"""Reads for the organisation pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from . import scope
from .models import Membership, Organisation, Role

if TYPE_CHECKING:
    from typing import Any


def administered_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations *user* administers, as a tree in path order:
    everything for platform administrators, otherwise the organisations where
    they are an administrator and everything below them."""
    if scope.is_platform_admin(user):
        qs = Organisation.objects.all()
    else:
        qs = scope.orgs_for(user, Role.ORG_ADMIN)
    return qs.annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True))).order_by("path")


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "role", "user__name", "pk")
    )


def organisation_children(organisation: Organisation) -> QuerySet[Organisation]:
    return organisation.children.annotate(
        member_count=Count("memberships", filter=Q(memberships__is_active=True))
    ).order_by("name")


def organisation_ancestors(organisation: Organisation) -> list[Organisation]:
    ids = organisation.ancestor_ids()[:-1]
    by_id = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


SEARCH_LIMIT = 200


def search_administered(user: Any, query: str) -> list[Organisation]:
    """Organisations *user* administers whose name or short name contains
    *query*, with their parent loaded, at most SEARCH_LIMIT."""
    qs = administered_organisations(user).filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    return list(qs.select_related("parent")[:SEARCH_LIMIT])
