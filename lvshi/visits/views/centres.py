"""Rooms and patterns of a centre (会见室与时段), and the authority's
overview of its centres (所辖机构).

A centre's page is for its officers and organisation administrators and for
authority officers above it; any other centre answers 404. The rules are in
:mod:`lvshi.visits.services.centres`; its refusals are shown on the page.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lvshi.core import widgets
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions, scope
from lvshi.orgs.models import Role
from lvshi.site import confirm

from .. import access
from ..models import CentreConfig, RoomKind, SlotPattern
from ..selectors import board
from ..services import centres


class ConfigForm(forms.Form):
    earliest_days = forms.IntegerField(
        label=gettext_lazy("最早提前天数"), min_value=0, max_value=centres.MAX_LATEST_DAYS
    )
    latest_days = forms.IntegerField(label=gettext_lazy("最晚提前天数"), min_value=0, max_value=centres.MAX_LATEST_DAYS)
    saturday_open = forms.BooleanField(label=gettext_lazy("周六开放"), required=False)
    auto_approve = forms.BooleanField(
        label=gettext_lazy("自动审核通过"),
        required=False,
        help_text=gettext_lazy("委托关系有效、会见室有空时，预约提交即通过。"),
    )
    pattern = forms.ChoiceField(label=gettext_lazy("时段方式"), choices=SlotPattern.choices)
    sessions = forms.CharField(
        label=gettext_lazy("场次"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("每行一个场次，例如 08:30-11:00（时段方式为“上午、下午场次”时使用）。"),
    )
    slot_minutes = forms.TypedChoiceField(
        label=gettext_lazy("时段长度（分钟）"), coerce=int, choices=[(30, "30"), (60, "60"), (90, "90")]
    )
    opens_at = forms.TimeField(label=gettext_lazy("开始时间"), widget=widgets.TimeInput())
    closes_at = forms.TimeField(label=gettext_lazy("结束时间"), widget=widgets.TimeInput())
    legal_aid_priority_days = forms.IntegerField(
        label=gettext_lazy("法律援助律师优先预约天数"),
        min_value=0,
        max_value=centres.MAX_PRIORITY_DAYS,
        help_text=gettext_lazy("法律援助案件的律师可比最晚提前天数再多预约的天数（0 表示不设优先）。"),
    )

    @classmethod
    def initial_for(cls, config: CentreConfig) -> dict:
        values = {name: getattr(config, name) for name in centres.CONFIG_FIELDS}
        values["sessions"] = centres.sessions_text(config.sessions)
        return values

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        text = data.pop("sessions")
        if data["pattern"] == SlotPattern.SESSIONS:
            data["sessions"] = centres.parse_sessions(text)
        return data


class RoomForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=50)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=RoomKind.choices)
    legal_aid_only = forms.BooleanField(label=gettext_lazy("法律援助专用"), required=False)


class ExtraSessionForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("日期"), widget=widgets.DateInput())
    start = forms.TimeField(label=gettext_lazy("开始时间"), widget=widgets.TimeInput())
    end = forms.TimeField(label=gettext_lazy("结束时间"), widget=widgets.TimeInput())
    note = forms.CharField(label=gettext_lazy("说明"), max_length=100, required=False)


# --- pages -----------------------------------------------------------------------------


def _page(request: HttpRequest, centre, *, config_form=None, room_form=None, extra_form=None, status=200):
    config = CentreConfig.objects.filter(organisation=centre).first()
    if config_form is None and config is not None:
        config_form = ConfigForm(initial=ConfigForm.initial_for(config))
    context = {
        "centre": centre,
        "config": config,
        "config_form": config_form,
        "slots": config.slots() if config else [],
        "rooms": list(centres.rooms_of(centre)),
        "room_form": room_form or RoomForm(),
        "extra_sessions": list(centres.upcoming_extra_sessions(centre)),
        "extra_form": extra_form or ExtraSessionForm(),
    }
    return render(request, "visits/centres/settings.html", context, status=status)


@permissions.page("visits.manage_centre")
def my_centre(request: HttpRequest):
    """The navigation entry: the one centre's settings, or a choice."""
    managed = list(board.managed_centres(request.user)[:50])
    if len(managed) == 1:
        return redirect("visits:centre_settings", centre_id=managed[0].pk)
    return render(request, "visits/centres/choose.html", {"centres": managed})


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def centre_settings(request: HttpRequest, centre_id: int):
    centre = access.centre_or_404(request.user, centre_id)
    if request.method == "GET":
        return _page(request, centre)
    if request.POST.get("action") == "open":
        try:
            centres.config_save(centre=centre, actor=Actor.of(request), values={})
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已开通网上预约。请添加会见室并核对时段设置。"))
        return redirect("visits:centre_settings", centre_id=centre.pk)
    form = ConfigForm(request.POST)
    if form.is_valid():
        try:
            centres.config_save(centre=centre, actor=Actor.of(request), values=form.values())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("会见设置已保存。"))
            return redirect("visits:centre_settings", centre_id=centre.pk)
    return _page(request, centre, config_form=form)


@require_POST
@permissions.page(permissions.SIGNED_IN)
def room_create(request: HttpRequest, centre_id: int):
    centre = access.centre_or_404(request.user, centre_id)
    form = RoomForm(request.POST)
    if form.is_valid():
        try:
            room = centres.room_create(centre=centre, actor=Actor.of(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已添加会见室“%(name)s”。") % {"name": room.name})
            return redirect("visits:centre_settings", centre_id=centre.pk)
    return _page(request, centre, room_form=form)


ROOM_ACTIONS = {
    "activate": {"active": True},
    "deactivate": {"active": False},
    "legal_aid_on": {"legal_aid_only": True},
    "legal_aid_off": {"legal_aid_only": False},
}


@require_POST
@permissions.page(permissions.SIGNED_IN)
def room_update(request: HttpRequest, room_id: int):
    room = access.room_or_404(request.user, room_id)
    action = request.POST.get("action", "")
    if action == "deactivate" and not confirm.confirmed(request):
        return confirm.ask(
            request,
            confirm.Confirmation(
                title=_("停用会见室"),
                consequence=_(
                    "停用后，自明日起每个时段可预约的会见室减少一间，律师将不能再预约到这间会见室；"
                    "已有的预约不受影响，如某个时段的预约多于剩余会见室，停用将被拒绝。需要时可以重新启用。"
                ),
                button=_("确认停用"),
                back_url=reverse("visits:centre_settings", kwargs={"centre_id": room.centre_id}),
                facts=[(_("会见室"), room.name), (_("类型"), room.get_kind_display())],
                hidden=[("action", "deactivate")],
            ),
        )
    if action == "rename":
        changes = {"name": request.POST.get("name", "")}
    elif action in ROOM_ACTIONS:
        changes = ROOM_ACTIONS[action]
    else:
        messages.error(request, _("请选择要执行的操作。"))
        return redirect("visits:centre_settings", centre_id=room.centre_id)
    try:
        room = centres.room_update(room=room, actor=Actor.of(request), **changes)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("会见室“%(name)s”已更新。") % {"name": room.name})
    return redirect("visits:centre_settings", centre_id=room.centre_id)


@require_POST
@permissions.page(permissions.SIGNED_IN)
def extra_session_create(request: HttpRequest, centre_id: int):
    centre = access.centre_or_404(request.user, centre_id)
    form = ExtraSessionForm(request.POST)
    if form.is_valid():
        try:
            centres.extra_session_create(centre=centre, actor=Actor.of(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已加开场次。"))
            return redirect("visits:centre_settings", centre_id=centre.pk)
    return _page(request, centre, extra_form=form)


@require_POST
@permissions.page(permissions.SIGNED_IN)
def extra_session_delete(request: HttpRequest, session_id: int):
    session = access.extra_session_or_404(request.user, session_id)
    try:
        centres.extra_session_delete(session=session, actor=Actor.of(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除加开场次。"))
    return redirect("visits:centre_settings", centre_id=session.centre_id)


@permissions.page(permissions.SIGNED_IN)
def centre_list(request: HttpRequest):
    """The authority's centres and video points, with their settings."""
    if not scope.has_role(request.user, Role.AUTHORITY_OFFICER):
        raise HttpForbidden(_("只有监所管理民警可以查看所辖机构。"))
    return render(request, "visits/centres/list.html", {"centres": board.authority_centres(request.user)})
