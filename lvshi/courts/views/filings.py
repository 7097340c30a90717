"""The lawyer's online filing (C2): the list of filings with their
progress, and the wizard — one page per step, each saved as a draft; the
preview links back to every step and submits after the completeness check."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions
from lvshi.site import confirm

from .. import access, deadlines, selectors
from ..forms import AcceptForm, AgentForm, IdentityForm, InfoForm, PartyForm, TypeForm, UploadForm
from ..models import FileKind, Filing, FilingStatus
from ..services import filings as svc
from ..services import parties as party_svc

STEP_TEMPLATES = {key: f"courts/filings/step_{key}.html" for key in svc.STEP_KEYS}


@permissions.page("courts.file")
def filings(request: HttpRequest):
    status = request.GET.get("status", "")
    cal = deadlines.calendar()
    rows = [
        {
            "filing": f,
            "done": svc.steps_done(f),
            "due": deadlines.period_end(f.submitted_at, deadlines.REVIEW_DAYS, cal=cal) if f.submitted_at else None,
        }
        for f in selectors.filings_of(request.user, status=status)[:100]
    ]
    tabs = [("", _("全部"))] + [(s.value, s.label) for s in FilingStatus if s != FilingStatus.DELETED]
    return render(
        request,
        "courts/filings/list.html",
        {"rows": rows, "status": status, "tabs": tabs, "total": len(svc.STEP_KEYS) - 1},
    )


@require_POST
@permissions.page("courts.file")
def filing_new(request: HttpRequest):
    filing = svc.filing_create(actor=Actor.of(request))
    return redirect("courts:filing_step", filing.pk, "notice")


@permissions.page("courts.file")
def filing(request: HttpRequest, filing_id: int):
    """Open a filing where it needs work: the first step with something missing, or the preview."""
    f = access.own_filing_or_404(request.user, filing_id)
    if f.status not in svc.EDITABLE:
        return redirect("courts:filing_step", f.pk, "preview")
    missing = svc.filing_check(f)
    return redirect("courts:filing_step", f.pk, missing[0].step if missing else "preview")


def _steps(f: Filing, current: str, missing) -> list[dict]:
    open_steps = {m.step for m in missing}
    return [
        {
            "label": label,
            "state": "current" if key == current else ("todo" if key in open_steps or key == "preview" else "done"),
            "url": reverse("courts:filing_step", args=[f.pk, key]),
        }
        for key, label in svc.STEPS
    ]


def _next(f: Filing, step: str):
    keys = svc.STEP_KEYS
    return redirect("courts:filing_step", f.pk, keys[min(keys.index(step) + 1, len(keys) - 1)])


@require_http_methods(["GET", "POST"])
@permissions.page("courts.file")
def filing_step(request: HttpRequest, filing_id: int, step: str):
    if step not in svc.STEP_KEYS:
        raise Http404
    f = access.own_filing_or_404(request.user, filing_id)
    if f.status not in svc.EDITABLE and step != "preview":
        return redirect("courts:filing_step", f.pk, "preview")
    actor = Actor.of(request)
    form = None
    extra: dict = {}
    try:
        handler = HANDLERS[step]
        result = handler(request, f, actor, extra)
    except DomainError as exc:
        messages.error(request, exc.message)
        result = None
    if result is not None and not isinstance(result, dict):
        return result
    form = (result or {}).get("form") or extra.get("form")
    missing = svc.filing_check(f)
    context = {
        "filing": f,
        "step": step,
        "step_title": dict(svc.STEPS)[step],
        "steps": _steps(f, step, missing),
        "missing": [m for m in missing if m.step == step] if step != "preview" else missing,
        "form": form,
        "editable": f.status in svc.EDITABLE,
        **extra,
    }
    return render(request, STEP_TEMPLATES[step], context)


def _agree(field: str):
    def handle(request, f, actor, extra):
        form = AcceptForm(request.POST or None, initial={"accepted": getattr(f, field)})
        if request.method == "POST" and form.is_valid():
            svc.filing_update(filing=f, actor=actor, changes={field: True})
            return _next(f, "notice" if field == "notice_accepted" else "service")
        extra["form"] = form
        return None

    return handle


def _type(request, f, actor, extra):
    form = TypeForm(request.POST or None, initial={"case_type": f.case_type, "application_type": f.application_type})
    if request.method == "POST" and form.is_valid():
        svc.filing_update(filing=f, actor=actor, changes=form.cleaned_data)
        return _next(f, "type")
    extra["form"] = form
    return None


def _info(request, f, actor, extra):
    action = request.POST.get("action", "info") if request.method == "POST" else ""
    info = InfoForm(
        request.POST if action == "info" else None,
        initial={"cause": f.cause, "claim_amount": f.claim_amount, "claims": f.claims, "facts": f.facts},
    )
    parties = list(f.parties.all())
    party_form = PartyForm(request.POST if action == "party" else None, prefix="party")
    me = request.user
    agent_form = AgentForm(
        request.POST if action == "agent" else None,
        prefix="agent",
        parties=parties,
        initial={"name": me.name, "licence_no": me.licence_no, "phone": getattr(me, "mobile", "")},
    )
    extra.update(
        {
            "info_form": info,
            "party_form": party_form,
            "agent_form": agent_form,
            "parties": parties,
            "agents": list(f.agents.select_related("party")),
        }
    )
    if request.method != "POST":
        return None
    if action == "info" and info.is_valid():
        svc.filing_update(filing=f, actor=actor, changes=info.cleaned_data)
        return _next(f, "info")
    if action == "party" and party_form.is_valid():
        party_svc.filing_add_party(filing=f, actor=actor, data=party_form.cleaned_data)
        messages.success(request, _("已添加当事人。"))
        return redirect("courts:filing_step", f.pk, "info")
    if action == "agent" and agent_form.is_valid():
        party_svc.filing_add_agent(filing=f, actor=actor, data=agent_form.cleaned_data)
        messages.success(request, _("已添加代理人。"))
        return redirect("courts:filing_step", f.pk, "info")
    if action == "remove_party" and request.POST.get("id", "").isdigit():
        party_svc.filing_remove_party(filing=f, actor=actor, party_id=int(request.POST["id"]))
        return redirect("courts:filing_step", f.pk, "info")
    if action == "remove_agent" and request.POST.get("id", "").isdigit():
        party_svc.filing_remove_agent(filing=f, actor=actor, agent_id=int(request.POST["id"]))
        return redirect("courts:filing_step", f.pk, "info")
    return None


def _service(request, f, actor, extra):
    parties = list(f.parties.all())
    extra["parties"] = parties
    extra["accepted"] = f.service_notice_accepted
    if request.method == "POST":
        if not request.POST.get("accepted"):
            raise DomainError("service_notice", _("请先阅读并确认送达地址确认书。"))
        svc.filing_update(filing=f, actor=actor, changes={"service_notice_accepted": True})
        party_svc.filing_set_service_addresses(
            filing=f, actor=actor, addresses={p.pk: request.POST.get(f"address_{p.pk}", "") for p in parties}
        )
        return _next(f, "service")
    return None


def _court(request, f, actor, extra):
    extra["courts"] = selectors.courts_for(f.case_type)
    if request.method == "POST":
        svc.filing_update(filing=f, actor=actor, changes={"court": request.POST.get("court", "")})
        return _next(f, "court")
    return None


def _materials(request, f, actor, extra):
    form = UploadForm(request.POST or None, request.FILES or None)
    extra["form"] = form
    extra["files"] = [x for x in f.files.all() if x.kind in (FileKind.COMPLAINT, FileKind.EVIDENCE)]
    if request.method == "POST":
        if request.POST.get("action") == "remove" and request.POST.get("id", "").isdigit():
            party_svc.filing_remove_file(filing=f, actor=actor, file_id=int(request.POST["id"]))
            return redirect("courts:filing_step", f.pk, "materials")
        if request.POST.get("action") == "next":
            return _next(f, "materials")
        if form.is_valid():
            rows = party_svc.filing_add_files(
                filing=f, actor=actor, kind=form.cleaned_data["kind"], uploads=form.cleaned_data["uploads"]
            )
            messages.success(request, _("已上传%(n)d个文件。") % {"n": len(rows)})
            return redirect("courts:filing_step", f.pk, "materials")
    return None


def _identity(request, f, actor, extra):
    filers = [p for p in f.parties.all() if p.role in svc.FILER_ROLES]
    files = list(f.files.filter(kind__in=[FileKind.ID_FRONT, FileKind.ID_BACK]))
    extra["rows"] = [
        {
            "party": p,
            "front": next((x for x in files if x.party_id == p.pk and x.kind == FileKind.ID_FRONT), None),
            "back": next((x for x in files if x.party_id == p.pk and x.kind == FileKind.ID_BACK), None),
        }
        for p in filers
    ]
    if request.method == "POST":
        if request.POST.get("action") == "next":
            return _next(f, "identity")
        form = IdentityForm(request.POST, request.FILES)
        if form.is_valid():
            for kind, key in ((FileKind.ID_FRONT, "front"), (FileKind.ID_BACK, "back")):
                if form.cleaned_data.get(key):
                    party_svc.filing_add_files(
                        filing=f,
                        actor=actor,
                        kind=kind,
                        uploads=[form.cleaned_data[key]],
                        party_id=form.cleaned_data["party_id"],
                    )
            messages.success(request, _("证件已上传。"))
            return redirect("courts:filing_step", f.pk, "identity")
    return None


def _preview(request, f, actor, extra):
    extra.update(
        {
            "parties": list(f.parties.all()),
            "agents": list(f.agents.select_related("party")),
            "files": list(f.files.all()),
            "due": deadlines.period_end(f.submitted_at, deadlines.REVIEW_DAYS) if f.submitted_at else None,
        }
    )
    if request.method == "POST":
        svc.filing_update(
            filing=f, actor=actor, changes={"mediation_consent": bool(request.POST.get("mediation_consent"))}
        )
        svc.filing_submit(filing=f, actor=actor)
        messages.success(request, _("立案材料已提交，法院将在7日内审查。审查结果会以短信和站内消息通知您。"))
        return redirect("courts:filings")
    return None


HANDLERS = {
    "notice": _agree("notice_accepted"),
    "type": _type,
    "info": _info,
    "service": _service,
    "court": _court,
    "materials": _materials,
    "identity": _identity,
    "preview": _preview,
}


@require_http_methods(["GET", "POST"])
@permissions.page("courts.file")
def filing_delete(request: HttpRequest, filing_id: int):
    f = access.own_filing_or_404(request.user, filing_id)

    if not confirm.confirmed(request):
        return confirm.ask(
            request,
            confirm.Confirmation(
                title=_("删除立案草稿"),
                consequence=_("删除后草稿和已上传的材料都不能恢复。"),
                button=_("确认删除"),
                back_url=reverse("courts:filings"),
                facts=[(_("案由"), f.cause or _("未填写")), (_("状态"), f.get_status_display())],
            ),
        )
    try:
        svc.filing_delete(filing=f, actor=Actor.of(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("立案草稿已删除。"))
    return redirect("courts:filings")
