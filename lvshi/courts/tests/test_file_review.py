"""Online file review (C11): the judge decides; the lawyer reads the
approved volumes as watermarked JPEG pages within the period, each view
audited; another lawyer, another volume, a page after the period: 404;
the original PDF is never served."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.courts.models import FileReview, ReviewStatus
from lvshi.courts.services import reviews as svc

from .casework_factories import review, staff_case, volume_pdf


def page_url(r, volume, n=1):
    return reverse("courts:file_review_page", args=[r.pk, volume.pk, n])


def test_the_lawyer_reads_an_approved_page_with_a_watermark(world, login):
    r, volume = review(world, world.lawyer, pages=3)
    assert r.status == ReviewStatus.APPROVED and r.days == 30
    client = login(world.lawyer)
    response = client.get(page_url(r, volume, 2))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg" and response["Cache-Control"] == "no-store"
    assert not response.content.startswith(b"%PDF")
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "JPEG" and image.width == 1000
    event = AuditEvent.objects.get(action="courts.review_page")
    assert event.actor == world.lawyer and event.after == {"volume": volume.pk, "page": 2}
    # the lawyer's own log shows it
    body = client.get(reverse("courts:file_review", args=[r.pk])).content.decode()
    assert "正卷第一册 2/3" in body


def test_each_view_is_audited(world, login):
    r, volume = review(world, world.lawyer, pages=2)
    client = login(world.lawyer)
    for n in (1, 2, 1):
        assert client.get(page_url(r, volume, n)).status_code == 200
    assert AuditEvent.objects.filter(action="courts.review_page", object_id=str(r.pk)).count() == 3


def test_pages_are_refused_after_the_period(world, login):
    r, volume = review(world, world.lawyer)
    FileReview.objects.filter(pk=r.pk).update(until=timezone.now() - timedelta(seconds=1))
    response = login(world.lawyer).get(page_url(r, volume))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="courts.review_page").exists()
    with pytest.raises(DomainError):
        svc.page_view(
            review=r, volume=volume, page=1, actor=Actor(world.lawyer), now=timezone.now() + timedelta(days=31)
        )


def test_another_lawyer_gets_404(world, login, client, api):
    r, volume = review(world, world.lawyer)
    path = f"/api/v1/courts/file-reviews/{r.pk}/volumes/{volume.pk}/pages/1"
    assert client.get(path, **api(world.other_lawyer)).status_code == 404
    assert client.get(path, **api(world.lawyer)).status_code == 200
    assert login(world.other_lawyer).get(page_url(r, volume)).status_code == 404


def test_a_volume_not_approved_and_a_page_out_of_range_are_404(world, login):
    r, volume = review(world, world.lawyer, pages=2)
    other = svc.volume_add(case=r.case, actor=Actor(world.clerk), title="副卷", upload=volume_pdf(1))
    client = login(world.lawyer)
    assert client.get(page_url(r, other)).status_code == 404
    assert client.get(page_url(r, volume, 3)).status_code == 404
    assert client.get(page_url(r, volume, 0)).status_code == 404


def test_a_pending_or_refused_review_shows_nothing(world, login):
    r, volume = review(world, world.lawyer, approved=False)
    assert login(world.lawyer).get(page_url(r, volume)).status_code == 404
    svc.review_refuse(review=r, actor=Actor(world.judge), reason="案件尚在侦查")
    r.refresh_from_db()
    assert r.status == ReviewStatus.REFUSED and r.refuse_reason == "案件尚在侦查"


def test_no_url_serves_the_original_pdf(world, login, client):
    r, volume = review(world, world.lawyer)
    original = volume.file.open("rb").read()
    volume.file.close()
    lawyer = login(world.lawyer)
    for url in (
        reverse("courts:file_review", args=[r.pk]),
        page_url(r, volume),
        f"/media/{volume.file.name}",
        f"/api/v1/courts/file-reviews/{r.pk}",
    ):
        response = lawyer.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert original not in body and not body.startswith(b"%PDF"), url


def test_the_judge_decides_within_rules(world):
    r, volume = review(world, world.lawyer, approved=False)
    with pytest.raises(DomainError) as bad:
        svc.review_approve(review=r, actor=Actor(world.judge), volume_ids=[volume.pk], days=0)
    assert bad.value.code == "days_invalid"
    with pytest.raises(DomainError):
        svc.review_approve(review=r, actor=Actor(world.judge), volume_ids=[], days=30)
    with pytest.raises(DomainError):
        svc.review_approve(review=r, actor=Actor(world.clerk), volume_ids=[volume.pk], days=30)
    with pytest.raises(DomainError):
        svc.review_refuse(review=r, actor=Actor(world.judge), reason=" ")
    svc.review_approve(review=r, actor=Actor(world.judge), volume_ids=[volume.pk], days=7)
    r.refresh_from_db()
    assert r.until - r.decided_at == timedelta(days=7)


def test_a_second_pending_request_is_refused_and_a_volume_must_be_a_pdf(world):
    case, _judge, clerk = staff_case(world, world.lawyer)
    svc.review_request(case=case, actor=Actor(world.lawyer), reason="阅卷")
    with pytest.raises(DomainError) as again:
        svc.review_request(case=case, actor=Actor(world.lawyer), reason="再次")
    assert again.value.code == "review_pending"
    from .factories import pdf, png

    with pytest.raises(DomainError):
        svc.volume_add(case=case, actor=Actor(clerk), title="正卷", upload=png())
    with pytest.raises(DomainError) as broken:
        svc.volume_add(case=case, actor=Actor(clerk), title="正卷", upload=pdf())
    assert broken.value.code in ("pdf_unreadable", "pdf_empty")


def test_two_requests_at_once_leave_one_pending(transactional_db, world):
    from tests.threads import run_at_once

    case, _judge, _clerk = staff_case(world, world.lawyer)

    def ask():
        try:
            svc.review_request(case=case, actor=Actor(world.lawyer), reason="阅卷")
            return "made"
        except DomainError as exc:
            return exc.code

    assert sorted(run_at_once(ask, 6)) == ["made"] + ["review_pending"] * 5
    assert FileReview.objects.filter(case=case, status=ReviewStatus.PENDING).count() == 1
