"""Public pages (A12): look up a lawyer or a firm without signing in, and
follow an application by its receipt code. Only what is public: no
identity numbers, phones or addresses; rate-limited per address."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lvshi.core import ratelimit
from lvshi.orgs import permissions

from .. import routes, selectors
from ..forms import LookupForm


def too_many(request: HttpRequest):
    return render(
        request,
        "bureau/public/too_many.html",
        {"message": _("查询过于频繁，请一分钟后再试。")},
        status=429,
    )


@require_safe
@permissions.page(permissions.PUBLIC)
def lookup(request: HttpRequest):
    form = LookupForm(request.GET or None)
    context: dict = {"form": form, "searched": False}
    if request.GET.get("q") and form.is_valid():
        if not ratelimit.allow(request, "lookup"):
            return too_many(request)
        q = form.cleaned_data["q"]
        context.update(searched=True, lawyers=selectors.public_lawyers(q), firms=selectors.public_firms(q))
    status = 400 if form.errors else 200
    return render(request, "bureau/public/lookup.html", context, status=status)


@require_safe
@permissions.page(permissions.PUBLIC)
def progress(request: HttpRequest, code: str):
    if not ratelimit.allow(request, "lookup"):
        return too_many(request)
    a = selectors.receipt(code)
    if a is None:
        raise Http404
    selectors.with_clocks([a])
    return render(request, "bureau/public/progress.html", {"a": a, "step": routes.route_of(a).steps[a.step]})
