"""Forms of the meeting pages. They only shape the input; the rules are the
services'."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lvshi.core import widgets

from .models import RoomKind


class BookingForm(forms.Form):
    """The lawyer's booking, step by step: centre, detainee, date, slots.
    Choices come from the lawyer's active bindings and the day's slots."""

    centre = forms.TypedChoiceField(label=_("会见地点"), coerce=int, required=False)
    detainee = forms.TypedChoiceField(label=_("在押人员"), coerce=int, required=False)
    date = forms.DateField(label=_("会见日期"), required=False, widget=widgets.DateInput())
    room_kind = forms.ChoiceField(label=_("会见方式"), choices=RoomKind.choices, required=False)
    slots = forms.MultipleChoiceField(label=_("时段"), required=False, widget=forms.CheckboxSelectMultiple)
    assistant = forms.TypedChoiceField(
        label=_("陪同助理"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("本所的律师助理或律师，可不选。"),
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, bindings=(), points=(), slot_choices=(), assistants=(), **kwargs):
        super().__init__(*args, **kwargs)
        centres = {b.detainee.centre_id: b.detainee.centre.name for b in bindings}
        # The video points serving those centres follow them (视频会见 only).
        centres.update({p.pk: _("%(name)s（远程视频会见点）") % {"name": p.name} for p in points})
        self.fields["centre"].choices = [("", _("请选择看守所或远程视频会见点")), *centres.items()]
        self.fields["slots"].choices = list(slot_choices)
        self.fields["assistant"].choices = [("", _("不带助理"))] + [(u.pk, u.name) for u in assistants]
        self.bindings = list(bindings)
        # With htmx a change redraws the following steps; without it, "下一步" does.
        step = {
            "hx-get": reverse("visits:book"),
            "hx-include": "closest form",
            "hx-target": "#book-steps",
            "hx-swap": "outerHTML",
        }
        for name in ("centre", "detainee", "date", "room_kind"):
            self.fields[name].widget.attrs.update(step)

    def set_detainees(self, centre_ids) -> None:
        """The bound detainees held at *centre_ids* (the centre chosen, or
        the centres the chosen video point serves); one id or several."""
        ids = {centre_ids} if isinstance(centre_ids, int) or centre_ids is None else set(centre_ids)
        self.fields["detainee"].choices = [("", _("请选择在押人员"))] + [
            (b.detainee_id, f"{b.detainee.name}（{b.detainee.centre.name}）" if len(ids) > 1 else b.detainee.name)
            for b in self.bindings
            if b.detainee.centre_id in ids
        ]

    def clean_slots(self):
        return [datetime.strptime(s, "%H:%M").time() for s in self.cleaned_data["slots"]]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("不通过的原因"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("律师将在通知中看到这段话。"),
    )
