"""Online file review (C11): the court adds a case's volumes (卷宗); a lawyer
of the case asks to read the file with a reason; the judge approves some
volumes for some days, or refuses with a reason. While the period runs the
lawyer reads the approved volumes page by page as watermarked images, each
page view audited; the PDF itself is never served."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import SHANGHAI
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, NotFound
from lvshi.core.text import clean_text
from lvshi.core.uploads import PDF, check_upload, store_upload
from lvshi.notify.services import notify_user
from lvshi.orgs.permissions import require

from .. import watermark
from ..flows import REVIEW
from ..models import Case, CaseLink, FileReview, ReviewStatus, Volume

MAX_DAYS = 90
VOLUME_MAX_BYTES = 100 * 1024 * 1024


def volume_add(*, case: Case, actor: Actor, title: str, upload: Any) -> Volume:
    require(actor.user, "courts.manage_volumes", case)
    title = clean_text(title, field=(Volume, "title"), required=_("请填写卷宗名称，如“正卷第一册”。"))
    checked = check_upload(upload, label=_("卷宗"), allowed=(PDF,), max_bytes=VOLUME_MAX_BYTES)
    checked.file.seek(0)
    try:
        pages = watermark.page_count(checked.file.read())
    except watermark.PdfError as exc:
        raise DomainError("pdf_unreadable", _("卷宗PDF无法读取，请重新扫描生成后上传。")) from exc
    if pages < 1:
        raise DomainError("pdf_empty", _("卷宗PDF没有页面。"))
    with transaction.atomic():
        volume = Volume(case=case, title=title, pages=pages, sha256=checked.sha256)
        store_upload(volume.file, checked)
        volume.save()
        audit_record(
            action="courts.volume_add",
            actor=actor,
            obj=volume,
            organisation=case.court.organisation,
            after={"case": case.number, "title": title, "pages": pages, "sha256": checked.sha256},
        )
    return volume


def review_request(*, case: Case, actor: Actor, reason: str) -> FileReview:
    require(actor.user, "courts.file")
    if not CaseLink.objects.filter(case=case, lawyer=actor.user).exists():
        raise NotFound()
    reason = clean_text(reason, field=(FileReview, "reason"), required=_("请写明阅卷理由。"))
    try:
        with transaction.atomic():
            review = FileReview.objects.create(case=case, lawyer=actor.user, reason=reason)
            audit_record(action="courts.review_request", actor=actor, obj=review, organisation=case.court.organisation)
    except IntegrityError as exc:  # courts_review_one_pending
        raise DomainError("review_pending", _("您对本案已有待审批的阅卷申请，请等待法官处理。"), status=409) from exc
    return review


def _tell(review: FileReview, outcome: str, detail: str) -> None:
    notify_user(
        review.lawyer,
        kind="review_decided",
        context={"number": review.case.number, "outcome": outcome, "detail": detail},
        url=reverse("courts:file_review", args=[review.pk]),
    )


def review_approve(
    *, review: FileReview, actor: Actor, volume_ids: Iterable[Any], days: int, now: datetime | None = None
) -> FileReview:
    require(actor.user, "courts.decide_review", review)
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise DomainError("days_invalid", _("查阅期限应为1至%(n)d天。") % {"n": MAX_DAYS})
    try:
        wanted = {int(v) for v in volume_ids}
    except (TypeError, ValueError) as exc:
        raise DomainError("volumes_invalid", _("请勾选准予查阅的卷宗。")) from exc
    volumes = list(Volume.objects.filter(case_id=review.case_id, pk__in=wanted))
    if not volumes or len(volumes) != len(wanted):
        raise DomainError("volumes_invalid", _("请勾选准予查阅的卷宗（本案的卷宗）。"))
    now = now or timezone.now()
    until = now + timedelta(days=days)
    detail = _("可查阅%(v)s，至%(until)s。") % {
        "v": "、".join(v.title for v in volumes),
        "until": timezone.localtime(until, SHANGHAI).strftime("%Y-%m-%d %H:%M"),
    }
    with transaction.atomic():
        REVIEW.apply(
            review,
            "approve",
            actor=actor,
            values={"days": days, "until": until, "decided_by": actor.user, "decided_at": now},
            details={"volumes": sorted(v.pk for v in volumes), "days": days},
            notify=lambda: _tell(review, _("已批准"), detail),
        )
        review.volumes.set(volumes)
    return review


def review_refuse(*, review: FileReview, actor: Actor, reason: str) -> FileReview:
    require(actor.user, "courts.decide_review", review)
    reason = clean_text(reason, field=(FileReview, "refuse_reason"), required=_("请写明不予批准的理由。"))
    REVIEW.apply(
        review,
        "refuse",
        actor=actor,
        reason=reason,
        values={"refuse_reason": reason, "decided_by": actor.user, "decided_at": timezone.now()},
        notify=lambda: _tell(review, _("未获批准"), _("理由：%(r)s") % {"r": reason}),
    )
    return review


def is_open(review: FileReview, now: datetime | None = None) -> bool:
    return (
        review.status == ReviewStatus.APPROVED and review.until is not None and (now or timezone.now()) < review.until
    )


def page_view(*, review: FileReview, volume: Volume, page: int, actor: Actor, now: datetime | None = None) -> bytes:
    """One page as a watermarked JPEG for the review's own lawyer, within the period; audited."""
    now = now or timezone.now()
    if review.lawyer_id != actor.user.pk or not is_open(review, now):
        raise NotFound(message=_("阅卷期限已过或未获批准，请重新申请阅卷。"))
    if not review.volumes.filter(pk=volume.pk).exists() or not 1 <= page <= volume.pages:
        raise NotFound(message=_("没有这一页。"))
    user = actor.user
    stamp = timezone.localtime(now, SHANGHAI).strftime("%Y-%m-%d %H:%M")
    text = f"{user.name} {_('执业证号')}{user.licence_no or ''} {stamp}"
    try:
        source: str | bytes = volume.file.path  # pdfium reads the pages it needs from disk
    except NotImplementedError:  # a remote storage
        with volume.file.open("rb") as handle:
            source = handle.read()
    image = watermark.render(source, page - 1, text)
    audit_record(
        action="courts.review_page",
        actor=actor,
        obj=review,
        organisation=review.scope_org,
        after={"volume": volume.pk, "page": page},
        message=f"{volume.title} {page}/{volume.pages}",
    )
    return image
