"""The case register's pages (A6): the firm registers and closes cases and
issues letters of introduction; anyone checks a letter by its code."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lvshi.core import ratelimit
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, documents, selectors
from ..forms import CaseForm, CloseForm, LetterForm
from ..models import Lawyer, LawyerStatus
from ..services import cases as svc
from .public import too_many

READ = "bureau.view_cases"


@require_safe
@permissions.page(READ)
def cases(request: HttpRequest):
    qs = selectors.cases(request.user, q=request.GET.get("q", ""), open_only=request.GET.get("open") == "1")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": request.GET.get("q", ""),
        "may_register": permissions.allowed(request.user, "bureau.register_cases"),
    }
    return render(request, "bureau/cases/list.html", context)


@require_http_methods(["GET", "POST"])
@permissions.page("bureau.register_cases")
def case_new(request: HttpRequest):
    firm = access.own_firm(request.user)
    if firm is None:
        raise Http404
    lawyers = Lawyer.objects.filter(organisation=firm, status=LawyerStatus.PRACTISING)
    form = CaseForm(request.POST or None, lawyers=lawyers)
    if request.method == "POST" and form.is_valid():
        try:
            case = svc.case_register(actor=Actor.of(request), organisation=firm, data=form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.details.get("field") if exc.details.get("field") in form.fields else None, exc.message)
        else:
            messages.success(request, _("已登记，编号%(n)s。") % {"n": case.number})
            return redirect("bureau:case", case.pk)
    return render(request, "bureau/cases/new.html", {"form": form, "firm": firm}, status=400 if form.errors else 200)


def _case_page(request: HttpRequest, case, **forms):
    context = {
        "case": case,
        "letters": list(case.letters.all()),
        "may_register": permissions.allowed(request.user, "bureau.register_cases", case),
        "close_form": forms.get("close_form") or CloseForm(),
        "letter_form": forms.get("letter_form") or LetterForm(),
    }
    return render(request, "bureau/cases/detail.html", context, status=400 if forms else 200)


@require_safe
@permissions.page(READ)
def case(request: HttpRequest, case_id: int):
    return _case_page(request, access.case_or_404(request.user, case_id))


@require_POST
@permissions.page(READ)
def case_close(request: HttpRequest, case_id: int):
    c = access.case_or_404(request.user, case_id, "bureau.register_cases")
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            svc.case_close(case=c, actor=Actor.of(request), closed_on=form.cleaned_data["closed_on"])
        except DomainError as exc:
            form.add_error("closed_on", exc.message)
        else:
            messages.success(request, _("已登记结案。"))
            return redirect("bureau:case", c.pk)
    return _case_page(request, c, close_form=form)


@require_POST
@permissions.page(READ)
def letter_new(request: HttpRequest, case_id: int):
    c = access.case_or_404(request.user, case_id, "bureau.register_cases")
    form = LetterForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            letter = svc.letter_issue(
                case=c, actor=Actor.of(request), kind=d["kind"], recipient=d["recipient"], days=d["days"]
            )
        except DomainError as exc:
            form.add_error(exc.details.get("field") if exc.details.get("field") in form.fields else None, exc.message)
        else:
            messages.success(request, _("已出具，核验码%(code)s。") % {"code": letter.code})
            return redirect("bureau:case", c.pk)
    return _case_page(request, c, letter_form=form)


@require_safe
@permissions.page(READ)
def letter_pdf(request: HttpRequest, letter_id: int):
    letter = access.letter_or_404(request.user, letter_id)
    verify = request.build_absolute_uri(reverse("lookup:letter", args=[letter.code]))
    return documents.letter_response(letter, actor=Actor.of(request), verify_url=verify)


@require_POST
@permissions.page(READ)
def letter_revoke(request: HttpRequest, letter_id: int):
    letter = access.letter_or_404(request.user, letter_id, "bureau.register_cases")
    try:
        svc.letter_revoke(letter=letter, actor=Actor.of(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("介绍信已作废，核验时将显示“已作废”。"))
    return redirect("bureau:case", letter.case_id)


@require_safe
@permissions.page(permissions.PUBLIC)
def letter_check(request: HttpRequest, code: str):
    if not ratelimit.allow(request, "lookup"):
        return too_many(request)
    found = selectors.public_letter(code)
    return render(
        request, "bureau/public/letter.html", {"letter": found, "code": code[:20]}, status=200 if found else 404
    )
