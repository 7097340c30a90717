"""Places of meetings: which video points (远程视频会见点) serve which centres."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lvshi.orgs.models import Organisation, OrgKind

if TYPE_CHECKING:
    from collections.abc import Iterable


def point_parent_path(point: Organisation) -> str:
    """The materialised path of *point*'s parent, from the point's own path
    ("/1/5/12/" → "/1/5/"); no query."""
    return point.path[: point.path.rstrip("/").rfind("/") + 1]


def serves(place: Organisation, centre: Organisation) -> bool:
    """Whether a detainee held at *centre* may be met at *place*: at the
    centre itself, or at a video point (远程视频会见点) whose parent's
    subtree holds the centre (a point under a centre serves that centre;
    under an authority, every centre under that authority). No query: the
    rule reads the organisations' materialised paths."""
    if place.pk == centre.pk:
        return True
    if place.kind != OrgKind.VIDEO_POINT or not place.parent_id or centre.kind != OrgKind.DETENTION_CENTRE:
        return False
    return centre.path.startswith(point_parent_path(place))


def served_centre_ids(point: Organisation) -> list[int]:
    """The detention centres whose detainees *point* serves (see :func:`serves`)."""
    if point.kind != OrgKind.VIDEO_POINT or not point.parent_id:
        return []
    return list(
        Organisation.objects.filter(
            kind=OrgKind.DETENTION_CENTRE, path__startswith=point_parent_path(point)
        ).values_list("pk", flat=True)
    )


def points_serving(centres: Iterable[Organisation]) -> list[Organisation]:
    """The active video points with booking settings that serve any of
    *centres* (organisations), by name, in one query (none without
    centres): a point serves a centre when its parent is the centre or one
    of the centre's ancestors."""
    ancestors = {pk for centre in centres for pk in centre.ancestor_ids()}
    if not ancestors:
        return []
    return list(
        Organisation.objects.filter(
            kind=OrgKind.VIDEO_POINT, is_active=True, parent_id__in=ancestors, visit_config__isnull=False
        ).order_by("name", "pk")
    )
