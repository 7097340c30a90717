"""The lawyer's violations page (V8): each missed meeting with its expiry,
state and appeal, an appeal form for those that can still be appealed, and
the lock in force. Appeals go through :func:`checkin.violation_appeal`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, NotFound
from lvshi.orgs import permissions

from .. import access
from ..selectors import lockout as lockout_selectors
from ..services import checkin


class AppealForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("申诉理由"),
        max_length=checkin.APPEAL_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("说明未能到场的原因，如有证明材料请注明。不超过1000字，每条违约记录只能申诉一次。"),
        error_messages={
            "required": gettext_lazy("请填写申诉理由，例如未能到场的原因和证明材料。"),
            "max_length": gettext_lazy("申诉理由不能超过1000字（现有%(show_value)d字），请精简后再提交。"),
        },
    )


@permissions.page("visits.view_own_violations")
def violations(request: HttpRequest):
    context = {
        "rows": lockout_selectors.lawyer_violations(request.user),
        "lock": lockout_selectors.lawyer_lock(request.user),
        "f": AppealForm(),
    }
    return render(request, "visits/violations/list.html", context)


@require_http_methods(["GET", "POST"])
@permissions.page("visits.view_own_violations")
def appeal(request: HttpRequest, violation_id: int):
    """The appeal form of one violation (also offered inline on the list)."""
    violation = access.own_violation_or_404(request.user, violation_id)
    form = AppealForm(request.POST or None, auto_id=f"appeal-{violation.pk}-%s")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                checkin.violation_appeal(actor=Actor.of(request), violation=violation, text=form.cleaned_data["text"])
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("已提交对%(day)s违约记录的申诉，处理结果将通过站内消息通知您。")
                    % {"day": violation.date.isoformat()},
                )
                return redirect("visits:violations")
        else:
            status = 400
    row = lockout_selectors.violation_row(violation)
    return render(request, "visits/violations/appeal.html", {"row": row, "v": violation, "f": form}, status=status)
