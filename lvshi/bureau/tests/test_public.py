"""The public lookup (A12): no sign-in, only what is public (licence status,
firm, practice years, public penalties); no ID numbers, phones or addresses;
rate-limited per address."""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse

from ..models import Lawyer


def test_a_lawyer_and_a_firm_are_found_without_personal_data(gd, client):
    Lawyer.objects.filter(pk=gd.lawyer.pk).update(mobile="13912345678")
    gd.gz_firm_org.address = "广州市天河区某路8号"
    gd.gz_firm_org.phone = "020-12345678"
    gd.gz_firm_org.save()
    cache.clear()
    for q in ("张明", gd.lawyer.licence_no):
        rows = client.get("/api/v1/public/lawyers", {"q": q}).json()
        assert [r["name"] for r in rows] == ["张明"]
        assert rows[0]["firm"] == "广州甲律师事务所" and rows[0]["status"] == "practising"
        assert rows[0]["practice_years"] >= 10
    page = client.get(reverse("lookup:lookup"), {"q": "张明"}).content.decode()
    firms = client.get("/api/v1/public/firms", {"q": "广州甲"}).json()
    assert firms[0]["credit_code"] == gd.gz_firm.credit_code and firms[0]["lawyers"] == 2
    everything = page + str(rows) + str(firms)
    for private in (gd.lawyer.id_number, gd.lawyer.id_number_masked, "13912345678", "天河区", "020-12345678"):
        assert private not in everything, private
    assert client.get("/api/v1/public/lawyers", {"q": "张"}).status_code == 422  # two characters at least
    assert client.get("/api/v1/public/lawyers", {"q": "明"[:1] * 2}).json() == []  # a name is matched whole


def test_the_lookup_is_rate_limited_per_address(gd, client, settings):
    settings.PUBLIC_LOOKUP_PER_MINUTE = 3
    cache.clear()
    for _ in range(3):
        assert client.get("/api/v1/public/lawyers", {"q": "张明"}).status_code == 200
    refused = client.get("/api/v1/public/lawyers", {"q": "张明"})
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_requests"
    assert client.get(reverse("lookup:lookup"), {"q": "张明"}).status_code == 429
    other = client.get("/api/v1/public/lawyers", {"q": "张明"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # another address has its own count
