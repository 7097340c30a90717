"""Importing the registry from Excel (A2): upload and preview, confirm,
follow the background task's progress; the templates to fill in."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, importing, selectors
from ..forms import ImportForm
from ..models import ImportKind, ImportStatus
from ..services import imports as svc

RULE = "bureau.import_registry"


@require_http_methods(["GET", "POST"])
@permissions.page(RULE)
def imports(request: HttpRequest):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        org = access.importer(request.user)
        if org is None:
            raise Http404
        try:
            record = svc.import_upload(
                actor=Actor.of(request),
                organisation=org,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["upload"],
            )
        except DomainError as exc:
            form.add_error("upload", exc.message)
        else:
            return redirect("bureau:import", record.pk)
    page = Paginator(selectors.imports(request.user), 20).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "kinds": ImportKind.choices}
    return render(request, "bureau/imports/list.html", context, status=400 if form.errors else 200)


@require_safe
@permissions.page(RULE)
def import_detail(request: HttpRequest, import_id: int):
    record = access.import_or_404(request.user, import_id)
    columns = [str(c.title) for c in importing.COLUMNS[record.kind]]
    context = {
        "r": record,
        "columns": columns,
        "sample": [list(zip(columns, row, strict=False)) for row in record.sample],
        "written": svc.written(record),
        "running": record.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
    }
    if request.htmx and request.GET.get("progress"):  # type: ignore[attr-defined]
        return render(request, "bureau/imports/detail.html#progress", context)
    return render(request, "bureau/imports/detail.html", context)


@require_POST
@permissions.page(RULE)
def import_confirm(request: HttpRequest, import_id: int):
    record = access.import_or_404(request.user, import_id)
    try:
        svc.import_confirm(record=record, actor=Actor.of(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认，正在后台导入；全部成功才会写入名册。"))
    return redirect("bureau:import", record.pk)


@require_safe
@permissions.page(RULE)
def import_template(request: HttpRequest):
    kind = request.GET.get("kind", ImportKind.LAWYERS)
    if kind not in ImportKind.values:
        raise Http404
    response = HttpResponse(importing.template(kind), content_type=svc.XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''import-{kind}.xlsx"
    return response
