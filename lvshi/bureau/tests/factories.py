"""Registry records for tests: firms with valid credit codes, lawyers."""

from __future__ import annotations

import itertools
from datetime import date

from lvshi.accounts.identity import credit_check_char
from lvshi.orgs.models import Organisation
from tests.factories import make_id_number, make_licence_no

from ..models import Firm, FirmForm, Lawyer, LawyerKind, LawyerStatus

_seq = itertools.count(1)


def make_credit_code() -> str:
    body = "31440000MD" + f"{next(_seq):07d}"
    return body + credit_check_char(body)


def make_firm(org: Organisation, **extra) -> Firm:
    return Firm.objects.create(
        organisation=org, credit_code=make_credit_code(), form=extra.pop("form", FirmForm.PARTNERSHIP), **extra
    )


def make_lawyer(org: Organisation, name: str = "张律师", **extra) -> Lawyer:
    lawyer = Lawyer(
        licence_no=extra.pop("licence_no", None) or make_licence_no(),
        name=name,
        kind=extra.pop("kind", LawyerKind.FULL_TIME),
        status=extra.pop("status", LawyerStatus.PRACTISING),
        organisation=org,
        first_licensed_on=extra.pop("first_licensed_on", date(2015, 6, 1)),
        **extra,
    )
    lawyer.set_id_number(make_id_number("440106"))
    lawyer.save()
    return lawyer
