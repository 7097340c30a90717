"""Authority officers' pages for violations (V8): the queue of pending
appeals with the facts of each missed meeting, the decision form, the list
of lock-outs with a search, and the lift form.

Rows come from centres at or below the officer's authority; an appeal or
lock of another authority answers 404. Platform administrators see the
lists. Decisions go through :mod:`lvshi.visits.services.checkin`, which audits them
and notifies the lawyer.
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

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, flows
from ..selectors import lockout as lockout_selectors
from ..services import checkin

PAGE_SIZE = 20


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("处理结果"),
        choices=[("uphold", gettext_lazy("申诉成立（撤销违约记录）")), ("dismiss", gettext_lazy("申诉不成立（驳回）"))],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择申诉成立或不成立。")},
    )
    note = forms.CharField(
        label=gettext_lazy("处理意见"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("驳回时必须填写理由，律师将在通知中看到。不超过300字。"),
        error_messages={"max_length": gettext_lazy("处理意见不能超过300字（现有%(show_value)d字），请精简。")},
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "dismiss" and not (data.get("note") or "").strip():
            self.add_error("note", _("驳回申诉时请填写理由，律师将在通知中看到。"))
        return data


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("解除原因"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("律师将在通知中看到。不超过300字。"),
        error_messages={
            "required": gettext_lazy("请填写解除锁定的原因。"),
            "max_length": gettext_lazy("原因不能超过300字（现有%(show_value)d字），请精简。"),
        },
    )


@permissions.page("visits.view_appeals")
def appeals(request: HttpRequest):
    """Pending appeals, oldest first."""
    page = Paginator(lockout_selectors.pending_appeals(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"appeal": a, "no_show_at": lockout_selectors.no_show_time(a)} for a in page]
    context = {"page": page, "rows": rows, "can_decide": lockout_selectors.is_authority(request.user)}
    return render(request, "visits/lockouts/appeals.html", context)


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def appeal_decide(request: HttpRequest, appeal_id: int):
    appeal = access.appeal_for_decision_or_404(request.user, appeal_id)
    form = DecideForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            uphold = form.cleaned_data["decision"] == "uphold"
            try:
                checkin.appeal_decide(
                    actor=Actor.of(request), appeal=appeal, uphold=uphold, note=form.cleaned_data["note"]
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                if uphold:
                    text = _("已认定%(name)s的申诉成立，违约记录已撤销。")
                else:
                    text = _("已驳回%(name)s的申诉。")
                messages.success(request, text % {"name": appeal.lawyer.name})
                return redirect("visits:appeals")
        else:
            status = 400
    context = {
        "appeal": appeal,
        "form": form,
        "no_show_at": lockout_selectors.no_show_time(appeal),
        "history": flows.APPEAL.history(appeal),
    }
    return render(request, "visits/lockouts/decide.html", context, status=status)


@permissions.page("visits.view_appeals")
def locks(request: HttpRequest):
    """Lock-outs in the user's scope, active first; search by name or licence."""
    q = (request.GET.get("q") or "").strip()[:50]
    page = Paginator(lockout_selectors.locks(request.user, q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "can_lift": lockout_selectors.is_authority(request.user)}
    return render(request, "visits/lockouts/locks.html", context)


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def lock_lift(request: HttpRequest, lock_id: int):
    lock = access.lock_for_lift_or_404(request.user, lock_id)
    form = LiftForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                checkin.lock_lift(actor=Actor.of(request), lock=lock, reason=form.cleaned_data["reason"])
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("已解除%(name)s的网上预约锁定。") % {"name": lock.lawyer.name})
                return redirect("visits:locks")
        else:
            status = 400
    context = {"lock": lock, "form": form, "history": flows.LOCK.history(lock)}
    return render(request, "visits/lockouts/lift.html", context, status=status)
