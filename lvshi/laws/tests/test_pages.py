"""The library's pages and API: public, search with marked matches, the
filters, a text's structure with anchors, and bad input refused with a reason."""

import json

import pytest
from django.urls import reverse

from lvshi.laws.demo import DATA
from lvshi.laws.models import Law
from lvshi.laws.services import import_dir


@pytest.fixture
def library(db):
    import_dir(DATA)


def test_search_page_marks_the_words(client, library):
    response = client.get(reverse("laws:index"), {"q": "律师 会见"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>律师</mark>" in html and "<mark>会见</mark>" in html
    civil = Law.objects.get(short_title="刑事诉讼法")
    assert f'href="/laws/{civil.pk}/#a' in html


def test_filters_narrow_the_results(client, library):
    everything = client.get(reverse("laws:index"), {"q": "律师"}).context["total"]
    civil = client.get(reverse("laws:index"), {"q": "律师", "category": "诉讼与非诉讼程序法"}).context["total"]
    assert 0 < civil < everything
    assert client.get(reverse("laws:index"), {"q": "回避", "in_force": "0"}).context["total"] == 0


def test_browse_and_bad_input(client, library):
    response = client.get(reverse("laws:index"))
    assert response.status_code == 200 and "民事诉讼法" in response.content.decode()
    assert client.get(reverse("laws:index"), {"category": "没有这类"}).status_code == 400
    response = client.get(reverse("laws:index"), {"q": "一 二 三 四 五 六 七"})
    assert response.status_code == 400 and "检索词最多" in response.content.decode()
    assert client.get(reverse("laws:index"), {"q": "法", "page": "x"}).status_code == 200
    assert client.get(reverse("laws:index"), {"q": "法", "page": "99999"}).status_code == 200


def test_a_text_shows_its_structure_with_anchors(client, library, django_assert_max_num_queries):
    law = Law.objects.get(short_title="民事诉讼法")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("laws:law", args=[law.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#s1"' in html and 'id="s1"' in html
    article = law.articles.get(label="第一百二十六条")
    assert f'id="a{article.position}"' in html
    assert html.count('class="law-article"') == law.articles.count()
    assert client.get(reverse("laws:law", args=[999999])).status_code == 404


def test_the_search_page_runs_a_bounded_number_of_queries(client, library, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(reverse("laws:index"), {"q": "法"}).status_code == 200


def test_api_search_and_text(client, library):
    data = client.get("/api/v1/laws", {"q": "律师 会见", "limit": 3}).json()
    assert data["total"] >= 3 and len(data["articles"]) == 3 and data["laws"] == []
    hit = data["articles"][0]
    begin, end = hit["highlights"][0]
    assert hit["excerpt"][begin:end] in ("律师", "会见")
    browse = client.get("/api/v1/laws", {"category": "民法典"}).json()
    assert browse["total"] == 3 and {law["short_title"] for law in browse["laws"]} == {"民法典"}
    law = Law.objects.get(short_title="民事诉讼法")
    detail = client.get(f"/api/v1/laws/{law.pk}").json()
    assert detail["title"] == "中华人民共和国民事诉讼法" and len(detail["articles"]) == law.articles.count()
    assert detail["sections"][0]["first_article"] == 1
    refused = client.get("/api/v1/laws", {"q": "一 二 三 四 五 六 七"})
    assert refused.status_code == 400 and json.loads(refused.content)["code"] == "invalid_query"
    assert client.get("/api/v1/laws", {"in_force": "maybe"}).status_code == 422
