"""Loading lawyer administration's objects for a user, shared by pages and
the API: outside the user's reach 404, within it without the right 403."""

from __future__ import annotations

from django.http import Http404

from lvshi.core.errors import PermissionDenied
from lvshi.orgs import scope
from lvshi.orgs.models import Organisation, OrgKind

from .models import (
    Application,
    Business,
    CaseRecord,
    Complaint,
    Correction,
    CorrectionFile,
    Evidence,
    Firm,
    Import,
    Lawyer,
    Letter,
    Penalty,
    Report,
)
from .scope import BODY_ROLES, BUREAU, FIRM, jurisdiction_q


def lawyer_or_404(user, lawyer_id: int) -> Lawyer:
    qs = Lawyer.objects.select_related("organisation")
    return scope.get_or_404(user, "bureau.view_registry", qs, pk=lawyer_id)


def firm_or_404(user, firm_id: int) -> Firm:
    qs = Firm.objects.select_related("organisation", "organisation__parent", "region")
    return scope.get_or_404(user, "bureau.view_registry", qs, pk=firm_id)


def application_or_404(user, application_id: int, action: str = "bureau.view_application") -> Application:
    qs = Application.objects.select_related("organisation", "body", "lawyer", "created_by")
    return scope.get_or_404(user, action, qs, pk=application_id, read_action="bureau.view_application")


def import_or_404(user, import_id: int) -> Import:
    qs = Import.objects.select_related("organisation", "created_by")
    return scope.get_or_404(user, "bureau.import_registry", qs, pk=import_id)


def report_or_404(user, report_id: int, action: str = "bureau.view_reports") -> Report:
    qs = Report.objects.select_related("organisation", "body")
    return scope.get_or_404(user, action, qs, pk=report_id, read_action="bureau.view_reports")


def body_or_404(user, body_id: int | None) -> Organisation:
    """A bureau within the user's reach (their own when *body_id* is None)."""
    bodies = Organisation.objects.filter(jurisdiction_q(user, BUREAU, field=None), kind=OrgKind.JUSTICE_BUREAU)
    if body_id is None:
        own = [g.org_id for g in scope.grants(user) if g.role in BUREAU]
        body = bodies.filter(pk__in=own).order_by("path").first()
    else:
        body = bodies.filter(pk=body_id).first()
    if body is None:
        raise Http404
    return body


def case_or_404(user, case_id: int, action: str = "bureau.view_cases") -> CaseRecord:
    qs = CaseRecord.objects.select_related("organisation", "lawyer", "co_lawyer")
    return scope.get_or_404(user, action, qs, pk=case_id, read_action="bureau.view_cases")


def letter_or_404(user, letter_id: int, action: str = "bureau.view_cases") -> Letter:
    qs = Letter.objects.select_related("case__organisation", "case__lawyer", "case__co_lawyer")
    return scope.get_or_404(user, action, qs, pk=letter_id, read_action="bureau.view_cases")


def complaint_or_404(user, complaint_id: int, action: str = "bureau.view_complaints") -> Complaint:
    qs = Complaint.objects.select_related("body", "lawyer", "firm").prefetch_related("steps__actor")
    return scope.get_or_404(user, action, qs, pk=complaint_id, read_action="bureau.view_complaints")


def evidence_or_404(user, evidence_id: int) -> Evidence:
    evidence = Evidence.objects.select_related("complaint__body").filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    complaint_or_404(user, evidence.complaint_id)
    return evidence


def penalty_or_404(user, penalty_id: int, action: str = "bureau.view_complaints") -> Penalty:
    qs = Penalty.objects.select_related("body", "lawyer", "firm")
    return scope.get_or_404(user, action, qs, pk=penalty_id, read_action="bureau.view_complaints")


def _first_org(user, roles: tuple[str, ...]) -> Organisation | None:
    return scope.orgs_for(user, *roles, subtree=False).select_related("parent").order_by("path").first()


def own_firm(user) -> Organisation | None:
    """The firm the user administers."""
    return _first_org(user, FIRM)


def acting_body(user) -> Organisation | None:
    """The body (bureau or bar association) where the user works; the highest when several."""
    return _first_org(user, BODY_ROLES)


def acting_body_or_404(user) -> Organisation:
    body = acting_body(user)
    if body is None:
        raise Http404
    return body


def importer(user) -> Organisation | None:
    """Who imports for the user: their bureau, else their firm."""
    return _first_org(user, BUREAU) or own_firm(user)


def applicant(user, business: str, organisation_id: int | None = None) -> Organisation | None:
    """Who applies for the user: their firm; their bureau for a firm to be established."""
    roles = BUREAU if business == Business.FIRM_ESTABLISH else FIRM
    orgs = scope.orgs_for(user, *roles, subtree=False).order_by("path")
    return (orgs.filter(pk=organisation_id) if organisation_id else orgs).first()


def correction_or_404(user, correction_id: int, action: str = "bureau.view_corrections") -> Correction:
    """A correction of the user's firm, or within a bureau's reach, or lying with the user's body."""
    qs = Correction.objects.select_related("organisation", "lawyer", "penalty__body", "body")
    correction = qs.filter(pk=correction_id).first()
    if correction is None:
        raise Http404
    readable = scope.can(user, "bureau.view_corrections", correction) or scope.can(
        user, "bureau.decide_correction", correction
    )
    if not readable:
        raise Http404
    if action != "bureau.view_corrections" and not scope.can(user, action, correction):
        raise PermissionDenied()
    return correction


def correction_file_or_404(user, file_id: int) -> CorrectionFile:
    row = CorrectionFile.objects.filter(pk=file_id).first()
    if row is None:
        raise Http404
    correction_or_404(user, row.correction_id)
    return row
