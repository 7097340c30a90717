"""Case materials (C4): a lawyer of the case adds files any number of times
and deletes them while the court has not received them; the clerk receives
or returns them, several at once."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, NotFound
from lvshi.core.text import clean_text
from lvshi.core.uploads import check_upload, store_upload
from lvshi.notify.services import notify_user
from lvshi.orgs import scope
from lvshi.orgs.permissions import require

from ..flows import MATERIAL
from ..models import Case, CaseLink, Material, MaterialStatus

MAX_FILES_AT_ONCE = 20
MAX_IDS = 100


def _own(case: Case, actor: Actor) -> None:
    """The actor is a lawyer linked to the case (else 404)."""
    require(actor.user, "courts.file")
    if not CaseLink.objects.filter(case=case, lawyer=actor.user).exists():
        raise NotFound()


def material_add(*, case: Case, actor: Actor, title: str, uploads: list[Any]) -> list[Material]:
    """Several files at once, one material each, titled "title" (and its number when several)."""
    _own(case, actor)
    title = clean_text(title, field=(Material, "title"), required=_("请填写材料名称，如“补充证据：借条”。"))
    uploads = [u for u in uploads if u is not None]
    if not uploads:
        raise DomainError("file_missing", _("请选择要提交的文件，可一次选择多个。"))
    if len(uploads) > MAX_FILES_AT_ONCE:
        raise DomainError("too_many_files", _("一次最多提交%(n)d个文件，请分批提交。") % {"n": MAX_FILES_AT_ONCE})
    checked = [check_upload(u, label=title) for u in uploads]
    rows = []
    with transaction.atomic():
        for n, c in enumerate(checked, start=1):
            row = Material(
                case=case,
                lawyer=actor.user,
                title=title if len(checked) == 1 else f"{title}（{n}）"[:100],
                name=c.name,
                content_type=c.content_type,
                size=c.size,
                sha256=c.sha256,
            )
            store_upload(row.file, c)
            row.save()
            rows.append(row)
        audit_record(
            action="courts.material_add",
            actor=actor,
            obj=case,
            organisation=case.court.organisation,
            after={"materials": [r.pk for r in rows], "files": [r.name for r in rows]},
        )
    return rows


def _ids(ids: Iterable[Any]) -> list[int]:
    try:
        found = sorted({int(i) for i in ids})
    except (TypeError, ValueError) as exc:
        raise DomainError("ids_invalid", _("请选择要处理的材料。")) from exc
    if not found:
        raise DomainError("ids_missing", _("请先勾选要处理的材料。"))
    if len(found) > MAX_IDS:
        raise DomainError("too_many_ids", _("一次最多处理%(n)d份材料。") % {"n": MAX_IDS})
    return found


def material_delete(*, actor: Actor, ids: Iterable[Any]) -> int:
    """Deletes the lawyer's own materials, all or none: each must still be waiting for the court."""
    require(actor.user, "courts.file")
    wanted = _ids(ids)
    with transaction.atomic():
        rows = list(
            Material.objects.select_for_update()
            .select_related("case__court__organisation")
            .filter(pk__in=wanted, lawyer=actor.user)
        )
        if len(rows) != len(wanted):
            raise NotFound(message=_("部分材料不存在或不是您提交的，请刷新页面后重新选择。"))
        done = [r for r in rows if r.status != MaterialStatus.SUBMITTED]
        if done:
            raise DomainError(
                "material_decided",
                _("“%(t)s”已被法院处理，不能删除；其余材料也未删除。") % {"t": done[0].title},
                status=409,
            )
        deleted = Material.objects.filter(pk__in=wanted, status=MaterialStatus.SUBMITTED).delete()[0]
        for r in rows:
            audit_record(
                action="courts.material_delete",
                actor=actor,
                obj=r,
                organisation=r.case.court.organisation,
                before={"title": r.title, "name": r.name, "sha256": r.sha256},
            )
        for r in rows:
            transaction.on_commit(partial(r.file.delete, save=False))
    return deleted


def _tell_returned(material: Material, reason: str) -> None:
    notify_user(
        material.lawyer,
        kind="material_returned",
        context={"number": material.case.number, "title": material.title, "reason": reason},
        url=reverse("courts:materials", args=[material.case_id]),
    )


def material_decide(*, actor: Actor, ids: Iterable[Any], receive: bool, reason: str = "") -> int:
    """The clerk receives (or returns, with one reason) several materials; those already decided are skipped."""
    require(actor.user, "courts.receive_material")
    wanted = _ids(ids)
    if not receive:
        reason = clean_text(reason, field=(Material, "return_reason"), required=_("请写明退回原因，律师将据此修改。"))
    rows = list(Material.objects.select_related("case__court__organisation").filter(pk__in=wanted))
    if len(rows) != len(wanted) or not all(scope.can(actor.user, "courts.receive_material", r) for r in rows):
        raise NotFound(message=_("部分材料不存在或不属于本院，请刷新页面后重新选择。"))
    moved = 0
    now = timezone.now()
    with transaction.atomic():
        for r in rows:
            if r.status != MaterialStatus.SUBMITTED:
                continue
            values = {"decided_at": now, "decided_by": actor.user}
            if receive:
                MATERIAL.apply(r, "receive", actor=actor, values=values)
            else:
                MATERIAL.apply(
                    r,
                    "return",
                    actor=actor,
                    reason=reason,
                    values={**values, "return_reason": reason},
                    notify=partial(_tell_returned, r, reason),
                )
            moved += 1
    return moved
