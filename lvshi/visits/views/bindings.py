"""Binding pages (V3): the lawyer's "我的委托" with the pre-check form, and the
officers' "委托审核" queue with the review, the in-person verification and
the recording of a revocation.

Bindings come through :mod:`lvshi.visits.access`: another lawyer's binding,
or one of another centre, answers 404. The rules are the services'
(:mod:`lvshi.visits.bindings`); their refusals are shown as form errors or
messages.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lvshi.audit.downloads import serve_download
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions
from lvshi.site import confirm

from .. import access
from .. import bindings as svc
from ..binding_forms import BindingResubmitForm, BindingReturnForm, BindingRevokeForm, BindingSubmitForm
from ..models import BindingStatus

PAGE_SIZE = 20
QUEUE_TABS = (BindingStatus.PENDING, BindingStatus.VERIFYING, BindingStatus.ACTIVE)


def _rows(bindings) -> list[dict]:
    return [
        {
            "binding": b,
            "documents": svc.current_documents(b),
            "can_resubmit": svc.can(b, "resubmit"),
            "can_withdraw": svc.can(b, "withdraw"),
            "can_end": svc.can(b, "end"),
        }
        for b in bindings
    ]


# --- lawyers -------------------------------------------------------------------------


@permissions.page("visits.bind")
def bindings(request: HttpRequest):
    """The lawyer's bindings, newest first, with their documents and actions."""
    page = Paginator(svc.bindings_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "visits/bindings/list.html", {"page": page, "rows": _rows(page)})


@require_http_methods(["GET", "POST"])
@permissions.page("visits.bind")
def binding_submit(request: HttpRequest):
    form = BindingSubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            binding = svc.binding_submit(
                actor=Actor.of(request),
                centre=data["centre"],
                detainee_name=data["detainee_name"],
                centre_number=data["centre_number"],
                case_number=data["case_number"],
                legal_aid=data["legal_aid"],
                documents=form.documents(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("委托材料已提交，请等待看守所初审。"))
            warning = svc.seats_warning(binding)
            if warning:
                messages.warning(request, warning)
            return redirect("visits:bindings")
    return render(request, "visits/bindings/submit.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def binding_resubmit(request: HttpRequest, binding_id: int):
    binding = access.own_binding_or_404(request.user, binding_id)
    form = BindingResubmitForm(request.POST or None, request.FILES or None, legal_aid=binding.legal_aid)
    if request.method == "POST" and form.is_valid():
        try:
            svc.binding_resubmit(
                binding=binding,
                actor=Actor.of(request),
                documents=form.documents(),
                case_number=form.cleaned_data["case_number"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已重新提交委托材料，请等待看守所初审。"))
            return redirect("visits:bindings")
    context = {
        "form": form,
        "binding": binding,
        "documents": svc.current_documents(binding),
        "history": svc.FLOW.history(binding),
    }
    return render(request, "visits/bindings/resubmit.html", context)


def _lawyer_action(request: HttpRequest, binding_id: int, service, done: str, ask: dict):
    """An irreversible step of the lawyer's own binding, confirmed first
    (*ask*: the confirmation's title, consequence and button)."""
    binding = access.own_binding_or_404(request.user, binding_id)
    if not confirm.confirmed(request):
        facts = [(_("在押人员"), binding.detainee.name), (_("看守所"), binding.detainee.centre.name)]
        return confirm.ask(request, confirm.Confirmation(back_url=reverse("visits:bindings"), facts=facts, **ask))
    try:
        service(binding=binding, actor=Actor.of(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done % {"name": binding.detainee.name})
    return redirect("visits:bindings")


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def binding_withdraw(request: HttpRequest, binding_id: int):
    ask = {
        "title": _("撤回委托材料"),
        "consequence": _("撤回后看守所不再审核这份材料；如仍需会见，须重新提交委托材料。"),
        "button": _("确认撤回"),
    }
    return _lawyer_action(request, binding_id, svc.binding_withdraw, _("已撤回%(name)s的委托材料。"), ask)


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def binding_end(request: HttpRequest, binding_id: int):
    ask = {
        "title": _("终止委托"),
        "consequence": _(
            "终止后您与该在押人员尚未进行的会见预约将全部取消，会见室释放给其他律师；本操作不可撤销，"
            "如需再次会见须重新办理委托。"
        ),
        "button": _("确认终止委托"),
    }
    return _lawyer_action(
        request, binding_id, svc.binding_end, _("已终止对%(name)s的委托，与其尚未进行的会见预约已取消。"), ask
    )


@permissions.page(permissions.SIGNED_IN)
def binding_document(request: HttpRequest, document_id: int):
    """A binding's document, for its lawyer and the centre's officers."""
    document = access.binding_document_or_404(request.user, document_id)
    return serve_download(
        document.file,
        name=document.name,
        content_type=document.content_type,
        audit_action="visits.binding_document_download",
        obj=document,
        actor=Actor.of(request),
    )


# --- officers ------------------------------------------------------------------------


@permissions.page("visits.review_binding")
def binding_queue(request: HttpRequest):
    """Bindings of the officer's centre(s) in tabs: waiting for the first
    review, waiting for the in-person verification, and active."""
    status = request.GET.get("status")
    if status not in QUEUE_TABS:
        status = BindingStatus.PENDING
    counts = svc.review_counts(request.user)
    tabs = [{"status": s.value, "label": s.label, "count": counts[s], "current": s == status} for s in QUEUE_TABS]
    page = Paginator(svc.review_queue(request.user, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"tabs": tabs, "status": status, "page": page, "rows": _rows(page)}
    return render(request, "visits/bindings/queue.html", context)


@permissions.page(permissions.SIGNED_IN)
def binding_review(request: HttpRequest, binding_id: int):
    binding = access.binding_for_review_or_404(request.user, binding_id)
    context = {
        "binding": binding,
        "documents": svc.current_documents(binding),
        "all_documents": binding.documents.select_related("uploaded_by").order_by("-uploaded_at", "-pk"),
        "can_pass": svc.can(binding, "pass"),
        "can_return": svc.can(binding, "return"),
        "can_verify": svc.can(binding, "verify"),
        "can_revoke": svc.can(binding, "revoke"),
        "warning": svc.seats_warning(binding),
        "history": svc.FLOW.history(binding),
    }
    return render(request, "visits/bindings/review.html", context)


def _officer_action(request: HttpRequest, binding_id: int, service, done: str):
    binding = access.binding_for_review_or_404(request.user, binding_id)
    try:
        service(binding=binding, actor=Actor.of(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("visits:binding_review", binding_id=binding.pk)
    messages.success(request, done % {"lawyer": binding.lawyer.name, "name": binding.detainee.name})
    return redirect(reverse("visits:binding_queue") + "?status=" + binding.status)


@require_POST
@permissions.page(permissions.SIGNED_IN)
def binding_pass(request: HttpRequest, binding_id: int):
    return _officer_action(
        request, binding_id, svc.binding_pass, _("%(lawyer)s对%(name)s的委托材料已初审通过，待现场核验。")
    )


@require_POST
@permissions.page(permissions.SIGNED_IN)
def binding_verify(request: HttpRequest, binding_id: int):
    return _officer_action(request, binding_id, svc.binding_verify, _("已核验%(lawyer)s对%(name)s的委托，委托生效。"))


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def binding_return(request: HttpRequest, binding_id: int):
    binding = access.binding_for_review_or_404(request.user, binding_id)
    form = BindingReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.binding_return(binding=binding, actor=Actor.of(request), reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已退回%(lawyer)s的委托材料。") % {"lawyer": binding.lawyer.name})
            return redirect("visits:binding_queue")
    return render(request, "visits/bindings/return.html", {"form": form, "binding": binding})


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def binding_revoke(request: HttpRequest, binding_id: int):
    """Record the client's written revocation of an active binding."""
    binding = access.binding_for_review_or_404(request.user, binding_id)
    form = BindingRevokeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.binding_revoke(
                binding=binding,
                actor=Actor.of(request),
                document=form.cleaned_data["document"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("已登记%(name)s解除对%(lawyer)s的委托。")
                % {"name": binding.detainee.name, "lawyer": binding.lawyer.name},
            )
            return redirect(reverse("visits:binding_queue") + "?status=" + BindingStatus.ACTIVE)
    return render(request, "visits/bindings/revoke.html", {"form": form, "binding": binding})
