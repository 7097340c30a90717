"""Applications' pages (A3, A8): the firm's forms and list, the body's
queue, one application's page with its trace and the step its body may
take, the receipt slip."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions
from lvshi.site import confirm

from .. import access, business, documents, routes, selectors
from ..flows import APPLICATION
from ..forms import ApplicationForm, BusinessChoiceForm, OpinionForm, ReceiveForm, ReturnForm
from ..models import Application, ApplicationStatus, Business, Lawyer, LawyerStatus
from ..services import applications as svc
from ..services import bar as bar_svc

PAGE_SIZE = 30
# The form each step posts, and its name in the page's context.
STEP_FORMS: dict[str, tuple[str, Any]] = {
    "receive": ("receive_form", ReceiveForm),
    "return": ("return_form", ReturnForm),
    "forward": ("opinion_form", OpinionForm),
    "approve": ("opinion_form", OpinionForm),
    "refuse": ("refuse_form", functools.partial(OpinionForm, prefix="refuse")),
}


@require_safe
@permissions.page("bureau.view_application")
def applications(request: HttpRequest):
    tab = request.GET.get("status", "todo")
    tab = tab if tab in ("todo", "all") else "todo"
    biz = request.GET.get("business", "")
    qs = selectors.applications(
        request.user, tab=tab, business=biz if biz in Business.values else "", q=request.GET.get("q", "")
    )
    if request.GET.get("overdue") == "1":
        qs = selectors.overdue(qs)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.with_clocks(list(page.object_list))
    tabs = [
        {"status": "todo", "label": _("待办"), "count": None, "current": tab == "todo"},
        {"status": "all", "label": _("全部"), "count": None, "current": tab == "all"},
    ]
    context = {
        "page": page,
        "tabs": tabs,
        "tab": tab,
        "businesses": Business.choices,
        "business": biz,
        "q": request.GET.get("q", ""),
        "may_apply": permissions.allowed(request.user, "bureau.apply"),
    }
    return render(request, "bureau/applications/list.html", context)


@require_http_methods(["GET", "POST"])
@permissions.page("bureau.apply")
def application_new(request: HttpRequest):
    chooser = BusinessChoiceForm(request.GET or None)
    if not chooser.is_valid():
        return render(request, "bureau/applications/choose.html", {"form": BusinessChoiceForm()})
    business_type = chooser.cleaned_data["business"]
    applicant = access.applicant(request.user, business_type)
    if applicant is None:
        raise Http404
    lawyers = Lawyer.objects.filter(organisation=applicant).exclude(status=LawyerStatus.CANCELLED)
    form = ApplicationForm(request.POST or None, business_type=business_type, lawyers=lawyers)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            application = svc.application_create(
                actor=Actor.of(request),
                organisation=applicant,
                business_type=business_type,
                data=d,
                lawyer_id=d.get("lawyer"),
                year=d.get("year"),
            )
        except DomainError as exc:
            form.add_error(exc.details.get("field") if exc.details.get("field") in form.fields else None, exc.message)
        else:
            messages.success(request, _("申请已保存为草稿，核对无误后请提交。"))
            return redirect("bureau:application", application.pk)
    context = {
        "form": form,
        "business_label": Business(business_type).label,
        "applicant": applicant,
        "route": routes.ROUTES[business_type],
    }
    return render(request, "bureau/applications/new.html", context, status=400 if form.errors else 200)


def _detail_context(request: HttpRequest, application: Application) -> dict:
    selectors.with_clocks([application])
    # What the user may do now: the status, the rule, and the step (forward only below the last).
    allowed = {
        t.name
        for t in APPLICATION.allowed(application, request.user)
        if t.condition is None or t.condition(application) is None
    }
    route = routes.route_of(application)
    return {
        "a": application,
        "fields": business.shown(application.business, application.data),
        "trace": selectors.trace(application),
        "allowed": allowed,
        "route": route,
        "step": route.steps[application.step],
        "receive_form": ReceiveForm(),
        "return_form": ReturnForm(),
        "opinion_form": OpinionForm(),
        "refuse_form": OpinionForm(prefix="refuse"),
        "standing": (
            bar_svc.standing(application.lawyer_id, application.year)
            if application.business == Business.ASSESSMENT and application.lawyer_id and application.year
            else None
        ),
    }


@require_safe
@permissions.page("bureau.view_application")
def application(request: HttpRequest, application_id: int):
    a = access.application_or_404(request.user, application_id)
    return render(request, "bureau/applications/detail.html", _detail_context(request, a))


@require_http_methods(["GET", "POST"])
@permissions.page("bureau.apply")
def application_edit(request: HttpRequest, application_id: int):
    a = access.application_or_404(request.user, application_id, "bureau.own_application")
    lawyers = Lawyer.objects.filter(organisation=a.organisation)
    initial = {**a.data, "id_number": ""}
    form = ApplicationForm(request.POST or None, business_type=a.business, lawyers=lawyers, initial=initial)
    form.fields.pop("lawyer", None)
    form.fields.pop("year", None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.application_update(application=a, actor=Actor.of(request), data=form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.details.get("field") if exc.details.get("field") in form.fields else None, exc.message)
        else:
            messages.success(request, _("申请已修改，核对无误后请提交。"))
            return redirect("bureau:application", a.pk)
    context = {
        "form": form,
        "a": a,
        "business_label": a.get_business_display(),
        "applicant": a.organisation,
        "route": routes.route_of(a),
    }
    return render(request, "bureau/applications/new.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@permissions.page("bureau.view_application")
def application_step(request: HttpRequest, application_id: int, step: str):
    """One step on an application: submit / withdraw (the applicant),
    receive / return / forward / approve / refuse (the step's body)."""
    if step not in APPLICATION.by_name:
        raise Http404
    permission = "bureau.own_application" if step in ("submit", "withdraw") else "bureau.handle_application"
    a = access.application_or_404(request.user, application_id, permission)
    actor = Actor.of(request)
    if request.method == "GET" and step != "withdraw":
        return redirect("bureau:application", a.pk)
    name, form_class = STEP_FORMS.get(step, ("", None))
    if step == "withdraw" and not confirm.confirmed(request):
        return confirm.ask(
            request,
            confirm.Confirmation(
                title=_("撤回申请"),
                consequence=_("撤回后本申请不再办理，需要时请重新提出。"),
                button=_("确认撤回"),
                back_url=reverse("bureau:application", args=[a.pk]),
                facts=[(_("申请编号"), a.number or "—")],
            ),
        )
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        context = {**_detail_context(request, a), name: form, "failed": step}
        return render(request, "bureau/applications/detail.html", context, status=400)
    d = form.cleaned_data if form is not None else {}
    try:
        if step == "submit":
            svc.application_submit(application=a, actor=actor)
        elif step == "withdraw":
            svc.application_withdraw(application=a, actor=actor)
        elif step == "receive":
            svc.application_receive(application=a, actor=actor, originals=d["originals"], opinion=d["opinion"])
        elif step == "return":
            svc.application_return(application=a, actor=actor, code=d["code"], reason=d["reason"])
        elif step == "forward":
            svc.application_forward(application=a, actor=actor, opinion=d["opinion"])
        elif step == "approve":
            svc.application_approve(application=a, actor=actor, opinion=d["opinion"])
        else:
            svc.application_refuse(application=a, actor=actor, reason=d["opinion"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("bureau:application", a.pk)
    messages.success(request, _("已%(verb)s。") % {"verb": APPLICATION.by_name[step].verb})
    return redirect("bureau:application", a.pk)


@require_safe
@permissions.page("bureau.view_application")
def receipt(request: HttpRequest, application_id: int):
    a = access.application_or_404(request.user, application_id)
    if not a.receipt_code or a.status == ApplicationStatus.DRAFT:
        raise Http404
    progress = request.build_absolute_uri(reverse("lookup:progress", args=[a.receipt_code]))
    return documents.receipt_response(a, actor=Actor.of(request), progress_url=progress)
