"""Lawyer administration's demo data (``make run``): the registry of the
demo firms and lawyers. Idempotent: what exists is left alone."""

from __future__ import annotations

from datetime import date

from lvshi.accounts.identity import credit_check_char
from lvshi.accounts.models import User
from lvshi.orgs.models import FIRM_KINDS, Organisation

from .models import Firm, FirmForm, Lawyer, LawyerKind, LawyerStatus

# Credit codes with valid GB 32100 check characters.
FIRM_CODES = {"gd_firm": "31440000MD0123456", "gz_firm": "31440000MD0765432"}


def seed_bureau(orgs: dict[str, Organisation], users: dict[str, User]) -> int:
    made = 0
    for key, base in FIRM_CODES.items():
        org = orgs.get(key)
        if org is None:
            continue
        code = base + credit_check_char(base)
        _firm, created = Firm.objects.get_or_create(
            organisation=org,
            defaults={"credit_code": code, "form": FirmForm.PARTNERSHIP, "head": "", "founded_on": date(2010, 3, 1)},
        )
        made += created
    for user in users.values():
        if not user.licence_no:
            continue
        membership = user.memberships.filter(organisation__kind__in=FIRM_KINDS).select_related("organisation").first()
        if membership is None:
            continue
        lawyer, created = Lawyer.objects.get_or_create(
            licence_no=user.licence_no,
            defaults={
                "name": user.name,
                "kind": LawyerKind.FULL_TIME,
                "status": LawyerStatus.PRACTISING,
                "organisation": membership.organisation,
                "mobile": user.mobile,
                "first_licensed_on": date(int(user.licence_no[5:9]), 7, 1),
            },
        )
        if created:
            lawyer.set_id_number(user.id_number)
            lawyer.save()
        made += created
    return made
