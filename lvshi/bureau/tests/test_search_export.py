"""Search and export (A10, A11): within the reader's reach only, exports
formula-escaped and audited."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from lvshi.audit.models import AuditEvent

from .factories import make_lawyer


def _sheet(response):
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def test_the_export_holds_only_what_the_reader_may_see_and_runs_no_formula(gd, login, client):
    make_lawyer(gd.gz_firm_org, '=HYPERLINK("http://evil","点我")')
    login(gd.gz_clerk)
    response = client.get(reverse("bureau:export") + "?of=lawyers")
    assert response.status_code == 200
    rows = _sheet(response)
    names = {r[1] for r in rows[1:]}
    assert names == {"张明", "李华", '=HYPERLINK("http://evil","点我")'}  # not Shenzhen's 陈静
    book = load_workbook(io.BytesIO(response.content))
    evil = next(c for c in book.worksheets[0]["B"] if c.value and str(c.value).startswith("="))
    assert evil.data_type == "s"  # text, not a formula
    assert all("*" in r[3] for r in rows[1:])  # identity numbers masked
    event = AuditEvent.objects.get(action="bureau.export")
    assert event.after == {"filters": {}, "rows": 3}


def test_complaints_are_not_exported_to_a_firm(gd, login, client):
    login(gd.firm_admin)
    assert client.get(reverse("bureau:export") + "?of=complaints").status_code == 403
    assert client.get(reverse("bureau:export") + "?kind=nothing").status_code == 404
    own = _sheet(client.get(reverse("bureau:export") + "?of=firms"))
    assert [r[0] for r in own[1:]] == ["广州甲律师事务所"]


def test_search_across_the_registry_within_reach(gd, login, client, api):
    login(gd.province_clerk)
    page = client.get(reverse("bureau:search"), {"q": "律师事务所"}).content.decode()
    assert "广州甲律师事务所" in page and "深圳丙律师事务所" in page
    login(gd.gz_clerk)
    page = client.get(reverse("bureau:search"), {"q": "律师事务所"}).content.decode()
    assert "广州甲律师事务所" in page and "深圳丙律师事务所" not in page
    api_export = client.get("/api/v1/bureau/exports", {"of": "lawyers", "q": "张"}, **api(gd.gz_clerk))
    assert api_export.status_code == 200 and [r[1] for r in _sheet(api_export)[1:]] == ["张明"]
