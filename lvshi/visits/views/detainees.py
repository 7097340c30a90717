"""Detainees and cases (在押人员), for officers of the centre only.

Personal data: another centre's detainee or case answers 404, other roles
403. The rules are in :mod:`lvshi.visits.services.detainees`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lvshi.core import widgets
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access
from ..models import Detainee, DetaineeStatus, Gender
from ..services import detainees as service

PAGE_SIZE = 20


class DetaineeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    gender = forms.ChoiceField(label=gettext_lazy("性别"), choices=Gender.choices)
    birth_date = forms.DateField(label=gettext_lazy("出生日期"), widget=widgets.DateInput())
    centre_number = forms.CharField(label=gettext_lazy("监号"), max_length=30)


class NewDetaineeForm(DetaineeForm):
    centre = forms.TypedChoiceField(label=gettext_lazy("看守所"), coerce=int)

    def __init__(self, *args, centres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.centres = {c.pk: c for c in centres}
        self.fields["centre"].choices = [(c.pk, c.name) for c in centres]
        if len(self.centres) == 1:
            self.fields["centre"].widget = forms.HiddenInput()
            self.fields["centre"].initial = next(iter(self.centres))


class LeaveForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("办理"),
        choices=[(s.value, s.label) for s in service.LEAVE_STATUSES],
        widget=forms.RadioSelect,
    )
    transferred_to = forms.CharField(
        label=gettext_lazy("转往"), max_length=100, required=False, help_text=gettext_lazy("转所时填写。")
    )
    note = forms.CharField(label=gettext_lazy("说明"), max_length=300, required=False)


class CaseForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("案号"), max_length=60)
    title = forms.CharField(label=gettext_lazy("案由"), max_length=100, required=False)
    centre = forms.TypedChoiceField(label=gettext_lazy("看守所"), coerce=int)
    defendants = forms.CharField(
        label=gettext_lazy("被告人监号"),
        required=False,
        help_text=gettext_lazy("同案被告人的监号，用逗号或空格分隔。"),
    )

    def __init__(self, *args, centres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.centres = {c.pk: c for c in centres}
        self.fields["centre"].choices = [(c.pk, c.name) for c in centres]
        if len(self.centres) == 1:
            self.fields["centre"].widget = forms.HiddenInput()
            self.fields["centre"].initial = next(iter(self.centres))


def _numbers(text: str) -> list[str]:
    return [n for n in (text or "").replace("，", ",").replace(",", " ").split() if n]


def _by_numbers(centre, numbers: list[str]) -> list[Detainee]:
    found = {d.centre_number: d for d in Detainee.objects.filter(centre=centre, centre_number__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise DomainError("detainee_not_found", _("本看守所没有监号为 %(n)s 的在押人员。") % {"n": "、".join(missing)})
    return [found[n] for n in numbers]


# --- detainees -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permissions.page("visits.manage_detainees")
def detainee_list(request: HttpRequest):
    """Search and list the centre's detainees; add one."""
    centres = list(service.officer_centres(request.user))
    q = request.GET.get("q", "")
    status = request.GET.get("status", "")
    form = NewDetaineeForm(request.POST or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        centre = form.centres.get(values.pop("centre"))
        try:
            if centre is None:
                raise DomainError("centre_required", _("请选择看守所。"))
            detainee = service.detainee_create(centre=centre, actor=Actor.of(request), values=values)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记在押人员%(name)s。") % {"name": detainee.name})
            return redirect("visits:detainee_detail", detainee_id=detainee.pk)
    page = Paginator(service.detainees_for(request.user, q=q, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "q": q,
        "status": status,
        "statuses": DetaineeStatus.choices,
        "form": form,
        "centres": centres,
    }
    return render(request, "visits/detainees/list.html", context)


def _detail(request: HttpRequest, detainee, *, form=None, leave_form=None, status=200):
    initial = {f: getattr(detainee, f) for f in service.DETAINEE_FIELDS}
    context = {
        "detainee": detainee,
        "form": form or DetaineeForm(initial=initial),
        "leave_form": leave_form or LeaveForm(),
        "bindings": list(service.detainee_bindings(detainee)),
        "bookings": service.detainee_bookings(detainee),
        "cases": list(detainee.cases.order_by("number")),
        "held": detainee.status == DetaineeStatus.HELD,
    }
    return render(request, "visits/detainees/detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def detainee_detail(request: HttpRequest, detainee_id: int):
    detainee = access.detainee_or_404(request.user, detainee_id)
    if request.method == "GET":
        return _detail(request, detainee)
    form = DetaineeForm(request.POST)
    if form.is_valid():
        try:
            service.detainee_update(detainee=detainee, actor=Actor.of(request), values=form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("visits:detainee_detail", detainee_id=detainee.pk)
    return _detail(request, detainee, form=form, status=400)


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def detainee_leave(request: HttpRequest, detainee_id: int):
    """Release or transfer, after a confirmation form."""
    detainee = access.detainee_or_404(request.user, detainee_id)
    form = LeaveForm(request.POST or None, initial={"status": request.GET.get("status")})
    if request.method == "POST" and form.is_valid():
        try:
            service.detainee_leave(detainee=detainee, actor=Actor.of(request), **form.cleaned_data)
        except DomainError as exc:
            if exc.status == 409:
                messages.error(request, exc.message)
                return redirect("visits:detainee_detail", detainee_id=detainee.pk)
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("已办理%(name)s%(status)s，相关委托关系已解除，未进行的会见预约已取消并通知律师。")
                % {"name": detainee.name, "status": DetaineeStatus(form.cleaned_data["status"]).label},
            )
            return redirect("visits:detainee_detail", detainee_id=detainee.pk)
    context = {
        "detainee": detainee,
        "form": form,
        "held": detainee.status == DetaineeStatus.HELD,
        "open_bindings": service.detainee_bindings(detainee).filter(status__in=service.OPEN_BINDING).count(),
        "bookings": [b for b in service.detainee_bookings(detainee, limit=50) if b.status in service.HOLDING],
    }
    return render(request, "visits/detainees/leave.html", context)


# --- cases ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permissions.page("visits.manage_detainees")
def case_list(request: HttpRequest):
    centres = list(service.officer_centres(request.user))
    q = request.GET.get("q", "")
    form = CaseForm(request.POST or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        centre = form.centres.get(data["centre"])
        try:
            if centre is None:
                raise DomainError("centre_required", _("请选择看守所。"))
            defendants = _by_numbers(centre, _numbers(data["defendants"]))
            case = service.case_create(
                centre=centre, actor=Actor.of(request), number=data["number"], title=data["title"], detainees=defendants
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记案件%(number)s。") % {"number": case.number})
            return redirect("visits:case_detail", case_id=case.pk)
    page = Paginator(service.cases_for(request.user, q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "form": form}
    return render(request, "visits/detainees/cases.html", context)


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def case_detail(request: HttpRequest, case_id: int):
    """The case's defendants; attach one by centre number, or detach."""
    case = access.case_or_404(request.user, case_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "attach":
                numbers = _numbers(request.POST.get("centre_number", ""))[:1]
                if not numbers:
                    raise DomainError("centre_number_required", _("请填写要加入本案的在押人员监号。"))
                (detainee,) = _by_numbers(case.centre, numbers)
                service.case_attach(case=case, actor=Actor.of(request), detainee=detainee)
                messages.success(request, _("已将%(name)s加入本案。") % {"name": detainee.name})
            elif action == "detach":
                detainee = case.defendants.filter(pk=request.POST.get("detainee") or 0).first()
                if detainee is None:
                    raise DomainError("not_defendant", _("该在押人员不是本案被告人。"))
                service.case_detach(case=case, actor=Actor.of(request), detainee=detainee)
                messages.success(request, _("已将%(name)s移出本案。") % {"name": detainee.name})
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("visits:case_detail", case_id=case.pk)
    defendants = list(case.defendants.order_by("name", "pk"))
    return render(request, "visits/detainees/case.html", {"case": case, "defendants": defendants})
