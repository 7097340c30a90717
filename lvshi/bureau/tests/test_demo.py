"""The demo (``make run``) holds what the README promises for lawyer administration."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from .. import selectors, sums
from ..demo import LETTER_CODE, PERIOD
from ..models import Application, Complaint, Intern, Penalty, Staff


def test_the_demo_has_an_application_at_each_step_a_penalty_missing_reports_and_a_letter(db):
    call_command("seed_demo", "--i-know-this-is-not-production", stdout=StringIO())
    assert set(Application.objects.values_list("status", flat=True)) == {
        "submitted",
        "received",
        "returned",
        "forwarded",
        "approved",
    }
    assert Complaint.objects.get().status == "decided" and Penalty.objects.get().public_until is not None
    assert Intern.objects.count() == 3 and Staff.objects.count() == 3
    letter = selectors.public_letter(LETTER_CODE)
    assert letter["state"] == "valid" and letter["firm"] == "广东某某律师事务所"
    from lvshi.orgs.models import Organisation

    gz = Organisation.objects.get(name="广州市司法局")
    summary = sums.summary(gz, PERIOD, today=sums.period_due(PERIOD))
    assert summary.firms_counted == 1 and summary.missing_firms == 1
    assert selectors.public_lawyers("周强")[0]["penalties"][0]["kind"] == "warning"
    call_command("seed_demo", "--i-know-this-is-not-production", stdout=StringIO())  # again: nothing more
    assert Application.objects.count() == 5
