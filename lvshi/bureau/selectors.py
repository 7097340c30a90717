"""Reads of lawyer administration, always within the reader's reach
(``scope``): a body its jurisdiction, a firm only itself."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvshi.calendar.workdays import WorkCalendar, local_date
from lvshi.orgs import scope as org_scope

from . import routes
from .models import (
    WITH_BODY,
    Announcement,
    AnnouncementRead,
    Application,
    ApplicationStatus,
    ApplicationStep,
    BodyMessage,
    CaseRecord,
    Complaint,
    Correction,
    Dues,
    Firm,
    FirmStatus,
    Import,
    Intern,
    Lawyer,
    LawyerChange,
    LawyerComplaintStatus,
    LawyerStatus,
    Letter,
    Penalty,
    Report,
    ReportStatus,
    Staff,
    Training,
)
from .scope import BODY_ROLES, BUREAU, FIRM, body_of, jurisdiction_q

READERS = (*BODY_ROLES, *FIRM)
PUBLIC_LIMIT = 20


def _search(qs: QuerySet, q: str, *fields: str) -> QuerySet:
    q = (q or "").strip()[:50]
    if not q:
        return qs
    cond = Q()
    for f in fields:
        cond |= Q(**{f"{f}__icontains": q})
    return qs.filter(cond)


def lawyers(user: Any, *, q: str = "", status: str = "", kind: str = "") -> QuerySet[Lawyer]:
    qs = Lawyer.objects.filter(jurisdiction_q(user, READERS)).select_related("organisation")
    if status in LawyerStatus.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return _search(qs, q, "name", "licence_no", "organisation__name").order_by("organisation__name", "licence_no")


def firms(user: Any, *, q: str = "", status: str = "") -> QuerySet[Firm]:
    qs = Firm.objects.filter(jurisdiction_q(user, READERS)).select_related("organisation", "organisation__parent")
    if status in FirmStatus.values:
        qs = qs.filter(status=status)
    qs = _search(qs, q, "organisation__name", "credit_code")
    practising = Count("organisation__registry_lawyers", filter=Q(organisation__registry_lawyers__status="practising"))
    return qs.annotate(lawyer_count=practising).order_by("organisation__name")


def lawyer_record(lawyer: Lawyer) -> dict:
    """Everything on a lawyer's page (a few queries, whatever the history)."""
    return {
        "education": list(lawyer.education.all()),
        "careers": list(lawyer.careers.all()),
        "changes": list(LawyerChange.objects.filter(lawyer=lawyer).select_related("actor")[:100]),
        "interns": list(Intern.objects.filter(supervisor=lawyer)),
    }


def firm_people(firm: Firm) -> dict:
    org = firm.organisation
    return {
        "lawyers": list(Lawyer.objects.filter(organisation=org).order_by("status", "licence_no")),
        "interns": list(Intern.objects.filter(organisation=org).select_related("supervisor")),
        "staff": list(Staff.objects.filter(organisation=org)),
    }


def imports(user: Any) -> QuerySet[Import]:
    """The imports of the bodies and firms within the user's reach."""
    return Import.objects.filter(jurisdiction_q(user, (*BUREAU, *FIRM))).select_related("organisation", "created_by")


def reports(user: Any, *, status: str = "", period: str = "") -> QuerySet[Report]:
    """Reports within the user's reach: a firm's own; a bureau's subtree's."""
    qs = Report.objects.filter(jurisdiction_q(user, (*BUREAU, *FIRM))).select_related("organisation", "body")
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    if period:
        qs = qs.filter(period=period.strip().upper()[:7])
    return qs.order_by("-period", "organisation__name")


def cases(user: Any, *, q: str = "", open_only: bool = False) -> QuerySet[CaseRecord]:
    qs = CaseRecord.objects.filter(jurisdiction_q(user, (*BUREAU, *FIRM))).select_related(
        "organisation", "lawyer", "co_lawyer"
    )
    if open_only:
        qs = qs.filter(closed_on__isnull=True)
    return _search(qs, q, "number", "client", "matter", "lawyer__name")


def public_letter(code: str, *, today: date | None = None) -> dict | None:
    """What anyone may see of a letter: firm, lawyers, matter type, validity."""
    code = (code or "").strip().upper()
    if not code.isalnum() or len(code) > 16:
        return None
    letter = (
        Letter.objects.select_related("case__organisation", "case__lawyer", "case__co_lawyer").filter(code=code).first()
    )
    if letter is None:
        return None
    today = today or local_date(timezone.now())
    case = letter.case
    state = "revoked" if letter.revoked_at else ("expired" if letter.valid_until < today else "valid")
    labels = {"valid": _("有效"), "expired": _("已过期"), "revoked": _("已作废")}
    return {
        "code": letter.code,
        "kind": letter.kind,
        "kind_label": letter.get_kind_display(),
        "firm": case.organisation.name,
        "lawyers": [lw.name for lw in (case.lawyer, case.co_lawyer) if lw is not None],
        "matter_type": case.matter_type,
        "matter_type_label": case.get_matter_type_display(),
        "issued_on": local_date(letter.issued_at),
        "valid_until": letter.valid_until,
        "state": state,
        "state_label": str(labels[state]),
    }


def complaints(user: Any, *, status: str = "", q: str = "") -> QuerySet[Complaint]:
    qs = Complaint.objects.filter(jurisdiction_q(user, BODY_ROLES, field="body")).select_related(
        "body", "lawyer", "firm"
    )
    if status in LawyerComplaintStatus.values:
        qs = qs.filter(status=status)
    return _search(qs, q, "complainant", "lawyer__name", "firm__name")


def penalties(user: Any, *, q: str = "") -> QuerySet[Penalty]:
    qs = Penalty.objects.filter(jurisdiction_q(user, BODY_ROLES, field="body")).select_related("body", "lawyer", "firm")
    return _search(qs, q, "decision_no", "lawyer__name", "firm__name")


def public_penalties(lawyer_ids: list[int], *, today: date) -> dict[int, list[dict]]:
    """The penalties still in their public period, by lawyer (one query)."""
    out: dict[int, list[dict]] = {}
    rows = Penalty.objects.filter(lawyer_id__in=lawyer_ids, public_until__gte=today).select_related("body")
    for p in rows.order_by("-decided_on"):
        out.setdefault(p.lawyer_id or 0, []).append(
            {
                "kind": p.kind,
                "kind_label": p.get_kind_display(),
                "body": p.body.name,
                "decided_on": p.decided_on.isoformat(),
                "public_until": p.public_until.isoformat() if p.public_until else "",
            }
        )
    return out


def corrections(user: Any, *, tab: str = "todo") -> QuerySet[Correction]:
    """``todo``: what lies with the user's bureaus; ``all``: within reach (a firm: its own)."""
    qs = Correction.objects.select_related("organisation", "lawyer", "penalty", "body")
    if tab == "todo":
        return qs.filter(body_id__in=body_of(user), status__in=["submitted", "forwarded"])
    return qs.filter(jurisdiction_q(user, (*BODY_ROLES, *FIRM)))


def bar_records(user: Any) -> tuple[QuerySet[Dues], QuerySet[Training]]:
    """Dues and training registered within the user's reach, newest first."""
    reach = jurisdiction_q(user, BODY_ROLES, field="lawyer__organisation")
    dues = Dues.objects.filter(reach).select_related("lawyer", "body").order_by("-created_at")
    training = Training.objects.filter(reach).select_related("lawyer", "body").order_by("-created_at")
    return dues, training


def _ancestor_ids(user: Any) -> list[int]:
    ids: set[int] = set()
    for g in org_scope.grants(user):
        if g.role in (*BODY_ROLES, *FIRM):
            ids |= {int(p) for p in g.path.strip("/").split("/") if p}
    return sorted(ids)


def announcements(user: Any) -> QuerySet[Announcement]:
    """Announcements of the bodies above (or at) the user's organisations: a
    bar association's reach the firms of the bureau it sits under."""
    ids = _ancestor_ids(user)
    reach = Q(body_id__in=ids) | Q(body__kind="bar_association", body__parent_id__in=ids)
    read = AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=user)
    return (
        Announcement.objects.filter(reach)
        .select_related("body", "created_by")
        .annotate(read=Exists(read), readers=Count("reads", distinct=True))
    )


def messages_for(user: Any, *, box: str = "inbox") -> QuerySet[BodyMessage]:
    bodies = body_of(user)
    qs = BodyMessage.objects.select_related("sender", "recipient", "sent_by", "read_by")
    return qs.filter(recipient_id__in=bodies) if box == "inbox" else qs.filter(sender_id__in=bodies)


# --- applications -------------------------------------------------------------------------


def applications(user: Any, *, tab: str = "todo", business: str = "", q: str = "") -> QuerySet[Application]:
    """``todo``: what lies with the user's bodies now (or, for a firm,
    what the firm has to act on); ``all``: everything within reach."""
    qs = Application.objects.select_related("organisation", "body", "lawyer")
    reach = jurisdiction_q(user, READERS)
    if tab == "todo":
        mine = Q(body_id__in=body_of(user), status__in=WITH_BODY)
        own = Q(
            organisation_id__in=body_of(user, FIRM), status__in=[ApplicationStatus.DRAFT, ApplicationStatus.RETURNED]
        )
        qs = qs.filter(mine | own)
    else:
        qs = qs.filter(reach)
    if business:
        qs = qs.filter(business=business)
    qs = _search(qs, q, "number", "organisation__name", "lawyer__name")
    return qs.order_by("due_on", "-created_at", "-pk") if tab == "todo" else qs


def with_clocks(rows: list[Application], *, today: date | None = None) -> list[Application]:
    """Attach each application's clock (``clock``) for a list's rows."""
    today = today or local_date(timezone.now())
    cal = WorkCalendar(None)
    for a in rows:
        entered = local_date(a.entered_at) if a.entered_at else None
        a.clock = routes.clock(a, today=today, cal=cal, entered_on=entered)  # type: ignore[attr-defined]
    return rows


def trace(application: Application) -> list[ApplicationStep]:
    return list(ApplicationStep.objects.filter(application=application).select_related("body", "actor"))


def overdue(qs: QuerySet[Application], *, today: date | None = None) -> QuerySet[Application]:
    return qs.filter(status__in=WITH_BODY, due_on__lt=today or local_date(timezone.now()))


def workbench_counts(user: Any) -> dict[str, int]:
    """The user's bodies' queues: waiting to be received, under examination, overdue."""
    cached = getattr(user, "_bureau_workbench", None)
    if cached is not None:  # the home page asks once per to-do entry
        return cached
    bodies = body_of(user)
    today = local_date(timezone.now())
    counts = Application.objects.filter(body_id__in=bodies).aggregate(
        to_receive=Count("pk", filter=Q(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.FORWARDED])),
        examining=Count("pk", filter=Q(status=ApplicationStatus.RECEIVED)),
        overdue=Count("pk", filter=Q(status__in=WITH_BODY, due_on__lt=today)),
    )
    counts["corrections"] = Correction.objects.filter(body_id__in=bodies, status__in=["submitted", "forwarded"]).count()
    counts["reports"] = Report.objects.filter(body_id__in=bodies, status=ReportStatus.SUBMITTED).count()
    user._bureau_workbench = counts
    return counts


# --- public lookup (A12): no identity numbers, phones or addresses --------------------------


def public_lawyers(q: str) -> list[dict]:
    q = (q or "").strip()[:50]
    if len(q) < 2:
        return []
    found = list(
        Lawyer.objects.filter(Q(licence_no=q) | Q(name=q))
        .select_related("organisation")
        .order_by("licence_no")[:PUBLIC_LIMIT]
    )
    today = local_date(timezone.now())
    penalties = public_penalties([lw.pk for lw in found], today=today)
    return [
        {
            "name": lw.name,
            "licence_no": lw.licence_no,
            "kind": lw.kind,
            "kind_label": lw.get_kind_display(),
            "status": lw.status,
            "status_label": lw.get_status_display(),
            "firm": lw.organisation.name,
            "practice_years": _years(lw.first_licensed_on, today),
            "penalties": penalties.get(lw.pk, []),
        }
        for lw in found
    ]


def _years(start: date | None, today: date) -> int | None:
    if start is None:
        return None
    return max(0, today.year - start.year - ((today.month, today.day) < (start.month, start.day)))


def public_firms(q: str) -> list[dict]:
    q = (q or "").strip()[:100]
    if len(q) < 2:
        return []
    qs = Firm.objects.filter(Q(credit_code=q.upper()) | Q(organisation__name__contains=q)).select_related(
        "organisation"
    )
    practising = Count("organisation__registry_lawyers", filter=Q(organisation__registry_lawyers__status="practising"))
    return [
        {
            "name": f.organisation.name,
            "credit_code": f.credit_code,
            "form": f.form,
            "form_label": f.get_form_display(),
            "status": f.status,
            "status_label": f.get_status_display(),
            "lawyers": f.lawyer_count,
        }
        for f in qs.annotate(lawyer_count=practising).order_by("organisation__name")[:PUBLIC_LIMIT]
    ]


def receipt(code: str) -> Application | None:
    code = (code or "").strip().upper()
    if not code.isalnum() or len(code) != 10:
        return None
    return Application.objects.select_related("body").filter(receipt_code=code).first()
