"""Casework objects for tests: materials, served documents, evidence
exchanges, threads and file reviews, in world's court or a foreign one."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lvshi.core.actor import Actor
from lvshi.orgs.models import Role

from ..services import exchanges, materials, messages, reviews, service
from .factories import court_of, direct_case, foreign_court, pdf


def volume_pdf(pages: int = 3) -> SimpleUploadedFile:
    """A real PDF of *pages* pages (pdfium must read it), drawn with Pillow."""
    from ..demo_casework import demo_pdf

    return demo_pdf("volume.pdf", [[f"卷宗 第{n}页"] for n in range(1, pages + 1)])


def staff_case(world, lawyer, *, foreign: bool = False):
    """A case with *lawyer* linked, and its judge and clerk."""
    court = foreign_court() if foreign else court_of(world)
    if foreign:
        members = court.organisation.memberships
        judge, clerk = members.get(role=Role.JUDGE).user, members.get(role=Role.CLERK).user
    else:
        judge, clerk = world.judge, world.clerk
    return direct_case(court, judge=judge, clerk=clerk, lawyers=[lawyer]), judge, clerk


def material(world, lawyer, *, foreign: bool = False):
    case, _judge, _clerk = staff_case(world, lawyer, foreign=foreign)
    return materials.material_add(case=case, actor=Actor(lawyer), title="补充证据", uploads=[pdf("借条.pdf")])[0]


def served(world, lawyer, *, foreign: bool = False, kind: str = "judgment"):
    case, _judge, clerk = staff_case(world, lawyer, foreign=foreign)
    return service.document_serve(
        case=case, actor=Actor(clerk), recipient_id=lawyer.pk, kind=kind, title="民事判决书", upload=pdf("判决书.pdf")
    )


def exchange(world, lawyer, *, foreign: bool = False, others=()):
    case, judge, _clerk = staff_case(world, lawyer, foreign=foreign)
    from ..models import CaseLink, LinkVia

    for other in others:
        CaseLink.objects.create(case=case, lawyer=other, via=LinkVia.AGENT)
    item = materials.material_add(case=case, actor=Actor(lawyer), title="借条", uploads=[pdf("借条.pdf")])[0]
    return exchanges.exchange_create(
        case=case,
        actor=Actor(judge),
        title="第一次证据交换",
        deadline=timezone.now() + timedelta(days=7),
        material_ids=[item.pk],
        lawyer_ids=[lawyer.pk, *(o.pk for o in others)],
    )


def thread(world, lawyer, *, foreign: bool = False):
    case, _judge, _clerk = staff_case(world, lawyer, foreign=foreign)
    return messages.thread_start(case=case, actor=Actor(lawyer), title="关于延期举证", text="申请延期举证七日。")


def review(world, lawyer, *, foreign: bool = False, approved: bool = True, pages: int = 3):
    case, judge, clerk = staff_case(world, lawyer, foreign=foreign)
    volume = reviews.volume_add(case=case, actor=Actor(clerk), title="正卷第一册", upload=volume_pdf(pages))
    r = reviews.review_request(case=case, actor=Actor(lawyer), reason="准备庭审")
    if approved:
        reviews.review_approve(review=r, actor=Actor(judge), volume_ids=[volume.pk], days=30)
    r.refresh_from_db()
    return r, volume
