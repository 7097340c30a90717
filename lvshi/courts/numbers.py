"""Case numbers (案号) in the official form ``（2026）渝01民初123号``: a
sequence per court, year and case type, never repeated and never skipped,
whatever the concurrency.

:func:`allocate` raises the sequence's ``last`` by one with
``UPDATE … SET last = last + 1`` inside the caller's transaction and reads
it back there: the row lock the update takes makes concurrent acceptances
wait for one another (each update then sees the committed value), and a
rolled-back acceptance gives its number back with its transaction, so no
number is skipped. When the update finds no row (the year's first
number) the row is created (``INSERT … ON CONFLICT DO NOTHING`` through
``bulk_create``) and the update runs again."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from .models import COURT_CODE, CaseNumberSequence, CaseType, Court

_PATTERN = re.compile(
    rf"^（(?P<year>\d{{4}})）(?P<court>{COURT_CODE})(?P<type>[\u4e00-\u9fff]{{1,3}})(?P<seq>[1-9]\d*)号$"
)


@dataclass(frozen=True)
class CaseNumber:
    year: int
    court_code: str
    case_type: str
    seq: int

    def __str__(self) -> str:
        return f"（{self.year}）{self.court_code}{self.case_type}{self.seq}号"


def parse(text: str) -> CaseNumber | None:
    """A case number typed by someone (half-width brackets accepted), or None."""
    text = (text or "").strip().replace("(", "（").replace(")", "）")
    m = _PATTERN.match(text)
    if m is None or m["type"] not in CaseType.values:
        return None
    return CaseNumber(int(m["year"]), m["court"], m["type"], int(m["seq"]))


def allocate(court: Court, year: int, case_type: str) -> CaseNumber:
    """The next case number of *court*'s *case_type* in *year*. Must run in
    the transaction that stores the case, so a failure gives the number back."""
    if case_type not in CaseType.values:
        raise ValueError(f"unknown case type {case_type!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate() must run inside the transaction that stores the case")
    rows = CaseNumberSequence.objects.filter(court=court, year=year, case_type=case_type)
    if not rows.update(last=F("last") + 1):
        CaseNumberSequence.objects.bulk_create(
            [CaseNumberSequence(court=court, year=year, case_type=case_type)], ignore_conflicts=True
        )
        rows.update(last=F("last") + 1)
    seq = rows.values_list("last", flat=True).get()
    return CaseNumber(year, court.code, case_type, seq)
