"""Bar affairs' page (A7): a bar association registers dues and training."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, selectors
from ..forms import DuesForm, TrainingForm
from ..services import bar as svc


@require_http_methods(["GET", "POST"])
@permissions.page("bureau.record_bar_affairs")
def bar_affairs(request: HttpRequest):
    body = access.acting_body_or_404(request.user)
    which = request.POST.get("record")
    dues_form = DuesForm(request.POST if which == "dues" else None, prefix="dues")
    training_form = TrainingForm(request.POST if which == "training" else None, prefix="training")
    form = dues_form if which == "dues" else training_form if which == "training" else None
    if form is not None and form.is_valid():
        d = form.cleaned_data
        try:
            if which == "dues":
                svc.dues_record(
                    actor=Actor.of(request),
                    body=body,
                    licence_no=d["licence_no"],
                    year=d["year"],
                    amount=d["amount"],
                    paid_on=d["paid_on"],
                )
            else:
                svc.training_record(
                    actor=Actor.of(request),
                    body=body,
                    licence_no=d["licence_no"],
                    course=d["course"],
                    hours=d["hours"],
                    attended_on=d["attended_on"],
                )
        except DomainError as exc:
            field = exc.details.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("已登记。"))
            return redirect("bureau:bar_affairs")
    dues, training = selectors.bar_records(request.user)
    context = {
        "body": body,
        "dues_form": dues_form,
        "training_form": training_form,
        "dues": dues[:20],
        "training": training[:20],
    }
    return render(request, "bureau/bar.html", context, status=400 if form is not None and form.errors else 200)
