"""The court's casework pages: receiving materials (C4), serving documents
and following them (C9), evidence exchanges (C5), lawyers' messages (C10),
volumes and file-review requests (C11)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lvshi.audit.downloads import serve_download
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, deadlines, documents, selectors
from ..casework_forms import ExchangeForm, MaterialDecideForm, ReviewDecideForm, ServeForm, VolumeForm
from ..models import CaseLink, Material, Volume
from ..services import exchanges as exchange_svc
from ..services import materials as material_svc
from ..services import reviews as review_svc
from ..services import service as service_svc
from .casework import _thread_page

PAGE_SIZE = 30


def _lawyers(case) -> list[tuple[int, str]]:
    return [(link.lawyer_id, link.lawyer.name) for link in CaseLink.objects.filter(case=case).select_related("lawyer")]


@require_http_methods(["GET", "POST"])
@permissions.page("courts.receive_material")
def court_materials(request: HttpRequest):
    queue = selectors.materials_to_receive(request.user)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    form = MaterialDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            n = material_svc.material_decide(
                actor=Actor.of(request),
                ids=request.POST.getlist("ids"),
                receive=d["action"] == "receive",
                reason=d["reason"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已处理%(n)d份材料。") % {"n": n})
            return redirect("courts:court_materials")
    return render(
        request, "courts/court/materials.html", {"page": page, "form": form}, status=400 if form.errors else 200
    )


@require_safe
@permissions.page("courts.view_court_cases")
def court_material_file(request: HttpRequest, material_id: int):
    m = access.court_material_or_404(request.user, material_id)
    return serve_download(
        m.file,
        name=m.name,
        content_type=m.content_type,
        audit_action="courts.material_download",
        obj=m,
        actor=Actor.of(request),
    )


@require_http_methods(["GET", "POST"])
@permissions.page("courts.serve_document")
def serve(request: HttpRequest, case_id: int):
    case = access.court_case_or_404(request.user, case_id, "courts.serve_document")
    form = ServeForm(request.POST or None, request.FILES or None)
    form.fields["recipient"].choices = _lawyers(case)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            service_svc.document_serve(
                case=case,
                actor=Actor.of(request),
                recipient_id=d["recipient"],
                kind=d["kind"],
                title=d["title"],
                upload=d["upload"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已送达，律师已收到短信和站内通知。"))
            return redirect("courts:court_documents")
    return render(request, "courts/court/serve.html", {"case": case, "form": form}, status=400 if form.errors else 200)


@require_safe
@permissions.page("courts.serve_document")
def court_documents(request: HttpRequest):
    page = Paginator(selectors.court_documents(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "courts/court/documents.html", {"page": page})


@require_http_methods(["GET", "POST"])
@permissions.page("courts.exchange_evidence")
def exchange_new(request: HttpRequest, case_id: int):
    case = access.court_case_or_404(request.user, case_id, "courts.exchange_evidence")
    form = ExchangeForm(request.POST or None)
    form.fields["materials"].choices = [  # type: ignore[attr-defined]
        (m.pk, f"{m.title}（{m.lawyer.name}）") for m in Material.objects.filter(case=case).select_related("lawyer")
    ]
    form.fields["lawyers"].choices = _lawyers(case)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ex = exchange_svc.exchange_create(
                case=case,
                actor=Actor.of(request),
                title=d["title"],
                deadline=d["deadline"],
                material_ids=d["materials"],
                lawyer_ids=d["lawyers"],
                note=d["note"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("证据已发送，律师已收到通知。"))
            return redirect("courts:court_exchange", exchange_id=ex.pk)
    return render(
        request, "courts/court/exchange_new.html", {"case": case, "form": form}, status=400 if form.errors else 200
    )


@require_safe
@permissions.page("courts.exchange_evidence")
def court_exchanges(request: HttpRequest):
    page = Paginator(selectors.judge_exchanges(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "courts/court/exchanges.html", {"page": page})


@require_safe
@permissions.page("courts.exchange_evidence")
def court_exchange(request: HttpRequest, exchange_id: int):
    ex = access.judge_exchange_or_404(request.user, exchange_id)
    recipients, rows = selectors.exchange_table(ex)
    return render(request, "courts/court/exchange.html", {"exchange": ex, "recipients": recipients, "rows": rows})


@require_safe
@permissions.page("courts.exchange_evidence")
def exchange_pdf(request: HttpRequest, exchange_id: int):
    ex = access.judge_exchange_or_404(request.user, exchange_id)
    return documents.exchange_response(ex, selectors.exchange_table(ex), actor=Actor.of(request))


@require_safe
@permissions.page("courts.answer_message")
def court_threads(request: HttpRequest):
    waiting = request.GET.get("waiting") == "1"
    overdue = request.GET.get("overdue") == "1"
    before = deadlines.reply_overdue_before() if overdue else None
    qs = selectors.judge_threads(request.user, waiting=waiting or overdue, before=before)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "waiting": waiting, "overdue": overdue, "late_before": deadlines.reply_overdue_before()}
    return render(request, "courts/court/threads.html", context)


@require_http_methods(["GET", "POST"])
@permissions.page("courts.answer_message")
def court_thread(request: HttpRequest, thread_id: int):
    t = access.court_thread_or_404(request.user, thread_id)
    return _thread_page(request, t, "courts:court_thread", staff=True)


@require_safe
@permissions.page("courts.decide_review")
def court_reviews(request: HttpRequest):
    page = Paginator(selectors.pending_reviews(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "courts/court/reviews.html", {"page": page})


@require_http_methods(["GET", "POST"])
@permissions.page("courts.decide_review")
def court_review(request: HttpRequest, review_id: int):
    r = access.court_review_or_404(request.user, review_id)
    form = ReviewDecideForm(request.POST or None)
    volumes = Volume.objects.filter(case_id=r.case_id)
    form.fields["volumes"].choices = [(v.pk, f"{v.title}（{v.pages}页）") for v in volumes]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["approve"]:
                review_svc.review_approve(
                    review=r, actor=Actor.of(request), volume_ids=d["volumes"], days=d["days"] or 0
                )
            else:
                review_svc.review_refuse(review=r, actor=Actor.of(request), reason=d["reason"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已处理，律师已收到通知。"))
            return redirect("courts:court_reviews")
    return render(
        request, "courts/court/review_decide.html", {"review": r, "form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@permissions.page("courts.manage_volumes")
def volumes(request: HttpRequest, case_id: int):
    case = access.court_case_or_404(request.user, case_id, "courts.manage_volumes")
    form = VolumeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_svc.volume_add(
                case=case, actor=Actor.of(request), title=form.cleaned_data["title"], upload=form.cleaned_data["upload"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("卷宗已添加。"))
            return redirect("courts:volumes", case_id=case.pk)
    return render(
        request,
        "courts/court/volumes.html",
        {"case": case, "form": form, "volumes": list(Volume.objects.filter(case=case))},
        status=400 if form.errors else 200,
    )
