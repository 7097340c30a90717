"""Django's 4xx warnings: kept for what the caller was not told, dropped for
an API answer that explains itself with a code."""

import logging
from types import SimpleNamespace

import pytest

from lvshi.core.logging import REFUSAL_CODE_ATTR, SkipExplainedRefusals


def _record(status: int, request) -> logging.LogRecord:
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Bad Request: %s", ("/x",), None)
    record.status_code = status
    record.request = request
    return record


@pytest.mark.parametrize(
    ("status", "code", "kept"),
    [
        (400, "slot_full", False),
        (409, "booking_conflict", False),
        (400, None, True),
        (404, None, True),
        (503, "x", True),
    ],
)
def test_the_filter_drops_only_explained_client_errors(status, code, kept):
    request = SimpleNamespace(**({REFUSAL_CODE_ATTR: code} if code else {}))
    assert SkipExplainedRefusals().filter(_record(status, request)) is kept


def test_a_record_without_a_request_is_kept():
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), None)
    assert SkipExplainedRefusals().filter(record) is True


@pytest.mark.django_db
def test_an_api_refusal_writes_no_warning_but_a_missing_page_does(client, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    response = client.get("/api/v1/visits/centres/987654/availability", {"date": "2026-12-01"})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not [r for r in caplog.records if r.name == "django.request"]

    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert [r.status_code for r in caplog.records if r.name == "django.request"] == [404]
