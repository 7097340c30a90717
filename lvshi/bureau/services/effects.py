"""What an approved application does to the registry, called inside the
approval's transaction: a licence issued, changed or cancelled, a firm
established, changed or closed. Each changed field of a lawyer is kept in
their history with the application as its cause."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.core import crypto
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict
from lvshi.orgs.models import Organisation, OrgKind
from lvshi.orgs.permissions import require

from ..history import record_changes
from ..models import Application, Business, ChangeCause, Firm, FirmForm, FirmStatus, Lawyer, LawyerStatus


def _licence_no(region_code: str, kind_digit: str) -> str:
    """The next licence number of a region and year: 1, the region's four
    digits, the year, the kind digit, a seven-digit sequence (17 digits)."""
    prefix = f"1{region_code[:4]}{timezone.localdate():%Y}{kind_digit}"
    last = Lawyer.objects.filter(licence_no__startswith=prefix).aggregate(m=Max("licence_no"))["m"]
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:07d}"


def _lawyer_id(application: Application) -> int:
    if application.lawyer_id is None:
        raise Conflict("lawyer_missing", _("该申请没有指明律师，请退回申请单位补正。"))
    return application.lawyer_id


_KIND_DIGIT = {"full_time": "1", "part_time": "2", "public": "3", "company": "4", "legal_aid": "5"}


def _issue(application: Application, actor: Actor) -> None:
    data = application.data
    firm_org = application.organisation
    number = crypto.decrypt(data["id_number"])
    if (
        Lawyer.objects.filter(id_number_hash=data.get("id_number_hash", ""))
        .exclude(status=LawyerStatus.CANCELLED)
        .exists()
    ):
        raise Conflict("already_licensed", _("申请人已持有有效的律师执业证，不能重复颁发。"))
    lawyer = Lawyer(
        name=data["name"],
        gender=data.get("gender", ""),
        mobile=data.get("mobile", ""),
        kind=data["kind"],
        status=LawyerStatus.PRACTISING,
        organisation=firm_org,
        licensed_on=timezone.localdate(),
        first_licensed_on=timezone.localdate(),
        licence_no=_licence_no(firm_org.region_code, _KIND_DIGIT.get(data["kind"], "1")),
    )
    lawyer.set_id_number(number)
    lawyer.save()
    application.lawyer = lawyer
    Application.objects.filter(pk=application.pk).update(lawyer=lawyer)
    record_changes(
        lawyer,
        {"status": ("", lawyer.status)},
        cause=ChangeCause.APPLICATION,
        reference=application.number or "",
        actor=actor,
    )


def _change_licence(application: Application, actor: Actor) -> None:
    lawyer = Lawyer.objects.select_for_update().get(pk=_lawyer_id(application))
    data = application.data
    changes: dict[str, tuple[str, str]] = {}
    if data.get("firm"):
        firm = Firm.objects.select_related("organisation").filter(credit_code=data["firm"]).first()
        if firm is None or firm.status != FirmStatus.PRACTISING:
            raise Conflict("firm_unknown", _("转入的律师事务所不在名册中或未正常执业，请退回申请单位核实。"))
        changes["organisation"] = (str(lawyer.organisation_id), str(firm.organisation_id))
        lawyer.organisation = firm.organisation
    if data.get("kind") and data["kind"] != lawyer.kind:
        changes["kind"] = (lawyer.kind, data["kind"])
        lawyer.kind = data["kind"]
    lawyer.save()
    record_changes(lawyer, changes, cause=ChangeCause.APPLICATION, reference=application.number or "", actor=actor)


def _cancel_licence(application: Application, actor: Actor) -> None:
    lawyer = Lawyer.objects.select_for_update().get(pk=_lawyer_id(application))
    changes = {"status": (lawyer.status, LawyerStatus.CANCELLED)}
    lawyer.status = LawyerStatus.CANCELLED
    lawyer.save(update_fields=["status", "updated_at"])
    record_changes(lawyer, changes, cause=ChangeCause.APPLICATION, reference=application.number or "", actor=actor)


def _establish(application: Application, actor: Actor) -> None:
    data = application.data
    bureau = application.organisation
    if Firm.objects.filter(credit_code=data["credit_code"]).exists():
        raise Conflict("credit_code_taken", _("该统一社会信用代码已登记在名册中，请退回申请单位核实。"))
    if Organisation.objects.filter(parent=bureau, name=data["name"]).exists():
        raise Conflict("firm_name_taken", _("本局名下已有同名律师事务所，请退回申请单位核实。"))
    kind = {FirmForm.PUBLIC: OrgKind.PUBLIC_FIRM, FirmForm.LEGAL_AID: OrgKind.LEGAL_AID}.get(
        data["form"], OrgKind.LAW_FIRM
    )
    org = Organisation(
        parent=bureau,
        name=data["name"],
        kind=kind,
        region_code=bureau.region_code,
        region_name=bureau.region_name,
        address=data.get("address", ""),
        phone=data.get("phone", ""),
    )
    org.save()
    Firm.objects.create(
        organisation=org,
        credit_code=data["credit_code"],
        form=data["form"],
        head=data["head"],
        founded_on=timezone.localdate(),
    )
    audit_record(
        action="bureau.firm_establish",
        actor=actor,
        obj=org,
        organisation=org,
        after={"name": org.name, "credit_code": data["credit_code"]},
    )


def _change_firm(application: Application, actor: Actor) -> None:
    org = Organisation.objects.select_for_update().get(pk=application.organisation_id)
    firm = Firm.objects.select_for_update().get(organisation=org)
    data = application.data
    before = {"name": org.name, "head": firm.head, "address": org.address}
    if data.get("name"):
        if Organisation.objects.filter(parent_id=org.parent_id, name=data["name"]).exclude(pk=org.pk).exists():
            raise Conflict("firm_name_taken", _("同一主管机关下已有同名律师事务所，请退回申请单位核实。"))
        org.name = data["name"]
    if data.get("address"):
        org.address = data["address"]
    if data.get("head"):
        firm.head = data["head"]
    org.save(update_fields=["name", "address"])
    firm.save(update_fields=["head", "updated_at"])
    after = {"name": org.name, "head": firm.head, "address": org.address}
    audit_record(action="bureau.firm_change", actor=actor, obj=org, organisation=org, before=before, after=after)


def _close_firm(application: Application, actor: Actor) -> None:
    firm = Firm.objects.select_for_update().get(organisation_id=application.organisation_id)
    if Lawyer.objects.filter(organisation_id=firm.organisation_id, status=LawyerStatus.PRACTISING).exists():
        raise Conflict("firm_has_lawyers", _("该所仍有正常执业的律师，请先办理执业变更或注销后再注销律师事务所。"))
    Firm.objects.filter(pk=firm.pk).update(status=FirmStatus.CLOSED)
    audit_record(
        action="bureau.firm_close",
        actor=actor,
        obj=firm.organisation,
        organisation=firm.organisation,
        before={"status": firm.status},
        after={"status": FirmStatus.CLOSED},
    )


EFFECTS: dict[str, Callable[[Application, Actor], None]] = {
    Business.LICENCE_ISSUE: _issue,
    Business.LICENCE_CHANGE: _change_licence,
    Business.LICENCE_CANCEL: _cancel_licence,
    Business.FIRM_ESTABLISH: _establish,
    Business.FIRM_CHANGE: _change_firm,
    Business.FIRM_CLOSE: _close_firm,
}


def apply(application: Application, *, actor: Actor) -> None:
    """Carry out *application*'s business in the registry (the assessment
    and the inspection are their own record: nothing else changes)."""
    require(actor.user, "bureau.handle_application", application)
    effect = EFFECTS.get(application.business)
    if effect is not None:
        effect(application, actor)
