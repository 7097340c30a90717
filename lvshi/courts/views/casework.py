"""The lawyer's casework pages after filing: materials of a case (C4),
served documents to sign (C9), evidence exchanges (C5), messages to the
judge (C10) and online file review (C11)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lvshi.audit.downloads import serve_download
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, documents, selectors
from ..casework_forms import MaterialForm, OpinionsForm, ReplyForm, ReviewRequestForm, SignForm, ThreadForm
from ..models import ServiceStatus
from ..services import exchanges as exchange_svc
from ..services import materials as material_svc
from ..services import messages as message_svc
from ..services import reviews as review_svc
from ..services import service as service_svc

PAGE_SIZE = 20


def _case_choices(user) -> list[tuple[int, str]]:
    return [(c.pk, f"{c.number} {c.cause}") for c in selectors.lawyer_cases(user).order_by("-accepted_at")[:200]]


# --- materials (C4) ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permissions.page("courts.file")
def materials(request: HttpRequest, case_id: int):
    case = access.linked_case_or_404(request.user, case_id)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = material_svc.material_add(
                case=case,
                actor=Actor.of(request),
                title=form.cleaned_data["title"],
                uploads=form.cleaned_data["uploads"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已提交%(n)d份材料，法院接收后状态会更新。") % {"n": len(rows)})
            return redirect("courts:materials", case_id=case.pk)
    page = Paginator(selectors.case_materials(case, request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "courts/materials/list.html",
        {"case": case, "form": form, "page": page},
        status=400 if form.errors else 200,
    )


@require_POST
@permissions.page("courts.file")
def materials_delete(request: HttpRequest):
    ids = request.POST.getlist("ids")
    back = request.POST.get("case", "")
    try:
        n = material_svc.material_delete(actor=Actor.of(request), ids=ids)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除%(n)d份材料。") % {"n": n})
    if back.isdigit():
        return redirect("courts:materials", case_id=int(back))
    return redirect("courts:cases")


# --- served documents (C9) --------------------------------------------------------------


@require_safe
@permissions.page("courts.file")
def served(request: HttpRequest):
    status = request.GET.get("status", ServiceStatus.TO_SIGN)
    if status not in ServiceStatus.values:
        status = ServiceStatus.TO_SIGN
    page = Paginator(selectors.lawyer_documents(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = {s: selectors.lawyer_documents(request.user, status=s).count() for s in ServiceStatus.values}
    tabs = [
        {"status": s, "label": label, "count": counts[s], "current": s == status} for s, label in ServiceStatus.choices
    ]
    return render(request, "courts/served/list.html", {"page": page, "tabs": tabs, "status": status})


@require_http_methods(["GET", "POST"])
@permissions.page("courts.file")
def document(request: HttpRequest, document_id: int):
    doc = access.own_document_or_404(request.user, document_id)
    if request.method == "GET":
        service_svc.document_open(document=doc, actor=Actor.of(request))
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service_svc.document_sign(document=doc, actor=Actor.of(request), key=form.cleaned_data["key"])
        except DomainError as exc:
            form.add_error("key", exc.message)
        else:
            messages.success(request, _("已签收，签收时间即为送达时间。现在可以下载文书。"))
            return redirect("courts:document", document_id=doc.pk)
    return render(request, "courts/served/detail.html", {"doc": doc, "form": form}, status=400 if form.errors else 200)


@require_POST
@permissions.page("courts.file")
def document_key(request: HttpRequest, document_id: int):
    doc = access.own_document_or_404(request.user, document_id)
    try:
        service_svc.key_send(document=doc, actor=Actor.of(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("签收密钥已发送到您的手机（%(n)d分钟内有效）。") % {"n": service_svc.KEY_MINUTES})
    return redirect("courts:document", document_id=doc.pk)


@require_safe
@permissions.page("courts.file")
def document_file(request: HttpRequest, document_id: int):
    doc = access.own_document_or_404(request.user, document_id)
    return documents.served_file_response(doc, actor=Actor.of(request))


@require_safe
@permissions.page(permissions.SIGNED_IN)
def document_proof(request: HttpRequest, document_id: int):
    """The proof of service, for its lawyer and for the court."""
    try:
        doc = access.own_document_or_404(request.user, document_id)
    except Http404:
        doc = access.court_document_or_404(request.user, document_id)
    return documents.proof_of_service_response(doc, actor=Actor.of(request))


# --- evidence exchange (C5) -------------------------------------------------------------


@require_safe
@permissions.page("courts.file")
def exchanges(request: HttpRequest):
    page = Paginator(selectors.lawyer_exchanges(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "courts/exchanges/list.html", {"page": page, "now": timezone.now()})


@require_http_methods(["GET", "POST"])
@permissions.page("courts.file")
def exchange(request: HttpRequest, exchange_id: int):
    recipient = access.own_recipient_or_404(request.user, exchange_id)
    items = selectors.exchange_items(recipient)
    form = OpinionsForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        actor = Actor.of(request)
        try:
            exchange_svc.opinions_save(recipient=recipient, actor=actor, opinions=form.opinions())
            if request.POST.get("submit"):
                exchange_svc.opinions_submit(recipient=recipient, actor=actor)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            done = (
                _("质证意见已提交，法官可以看到。")
                if request.POST.get("submit")
                else _("草稿已保存，截止前可继续修改。")
            )
            messages.success(request, done)
            return redirect("courts:exchange", exchange_id=exchange_id)
    closed = recipient.submitted_at is not None or timezone.now() >= recipient.exchange.deadline
    context = {
        "recipient": recipient,
        "rows": list(zip(items, form.rows(), strict=True)),
        "form": form,
        "closed": closed,
    }
    return render(request, "courts/exchanges/detail.html", context, status=400 if form.errors else 200)


@require_safe
@permissions.page("courts.file")
def exchange_material(request: HttpRequest, exchange_id: int, item_id: int):
    """A file of the exchange, for a lawyer it was sent to."""
    m = access.exchanged_material_or_404(request.user, exchange_id, item_id)
    return serve_download(
        m.file,
        name=m.name,
        content_type=m.content_type,
        audit_action="courts.material_download",
        obj=m,
        actor=Actor.of(request),
    )


# --- messages to the judge (C10) --------------------------------------------------------


@require_safe
@permissions.page("courts.file")
def threads(request: HttpRequest):
    page = Paginator(selectors.lawyer_threads(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "courts/messages/list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@permissions.page("courts.file")
def thread_new(request: HttpRequest):
    form = ThreadForm(request.POST or None, request.FILES or None, initial={"case": request.GET.get("case")})
    form.fields["case"].choices = _case_choices(request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = access.linked_case_or_404(request.user, d["case"])
            thread = message_svc.thread_start(
                case=case, actor=Actor.of(request), title=d["title"], text=d["text"], uploads=d["uploads"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("留言已发送给承办法官。"))
            return redirect("courts:thread", thread_id=thread.pk)
    return render(request, "courts/messages/new.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@permissions.page("courts.file")
def thread(request: HttpRequest, thread_id: int):
    t = access.own_thread_or_404(request.user, thread_id)
    return _thread_page(request, t, "courts:thread", staff=False)


def _thread_page(request: HttpRequest, t, url_name: str, *, staff: bool) -> HttpResponse:
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            message_svc.thread_post(
                thread=t, actor=Actor.of(request), text=form.cleaned_data["text"], uploads=form.cleaned_data["uploads"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已发送。"))
            return redirect(url_name, thread_id=t.pk)
    context = {"thread": t, "messages_list": list(selectors.thread_messages(t)), "form": form, "staff": staff}
    return render(request, "courts/messages/thread.html", context, status=400 if form.errors else 200)


@require_safe
@permissions.page(permissions.SIGNED_IN)
def attachment(request: HttpRequest, attachment_id: int):
    """An attachment of a thread, for its lawyer or the court."""
    found = access.attachment_or_404(request.user, attachment_id)
    return serve_download(
        found.file,
        name=found.name,
        content_type=found.content_type,
        audit_action="courts.attachment_download",
        obj=found.message.thread,
        actor=Actor.of(request),
    )


# --- file review (C11) ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permissions.page("courts.file")
def reviews(request: HttpRequest):
    form = ReviewRequestForm(request.POST or None, initial={"case": request.GET.get("case")})
    form.fields["case"].choices = _case_choices(request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            case = access.linked_case_or_404(request.user, form.cleaned_data["case"])
            review_svc.review_request(case=case, actor=Actor.of(request), reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("阅卷申请已提交，法官批准后可在此在线阅卷。"))
            return redirect("courts:file_reviews")
    page = Paginator(selectors.lawyer_reviews(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "now": timezone.now()}
    return render(request, "courts/reviews/list.html", context, status=400 if form.errors else 200)


@require_safe
@permissions.page("courts.file")
def review(request: HttpRequest, review_id: int):
    r = access.own_review_or_404(request.user, review_id)
    volumes = list(r.volumes.order_by("pk"))
    current = next((v for v in volumes if str(v.pk) == request.GET.get("volume")), volumes[0] if volumes else None)
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    if current is not None:
        number = min(number, current.pages)
    log = Paginator(selectors.review_log(r, request.user), 20).get_page(request.GET.get("log"))
    context = {
        "review": r,
        "volumes": volumes,
        "current": current,
        "number": number,
        "open": review_svc.is_open(r),
        "log": log,
    }
    return render(request, "courts/reviews/detail.html", context)


@require_safe
@permissions.page("courts.file")
def review_page(request: HttpRequest, review_id: int, volume_id: int, number: int):
    r = access.own_review_or_404(request.user, review_id)
    volume = access.review_volume_or_404(r, volume_id)
    try:
        image = review_svc.page_view(review=r, volume=volume, page=number, actor=Actor.of(request))
    except DomainError as exc:
        raise Http404(exc.message) from exc
    return documents.page_image_response(image)
