"""400, 403, 404 and 500 in the site's layout and language, saying what to
do next: with DEBUG off (as in production), and on the development server,
which shows the same pages unless DEBUG_ERROR_PAGES asks for Django's."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from lvshi.orgs import permissions


def _page(response) -> str:
    html = response.content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert '<html lang="zh-Hans">' in html
    assert "返回首页" in html
    return html


@pytest.mark.django_db
def test_a_missing_page_is_404_in_chinese_with_the_way_back(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = _page(response)
    assert "页面不存在，或您无权查看" in html and "从菜单重新进入" in html
    assert 'class="site-header"' in html  # the site's own layout, its menu included


def test_a_403_shows_the_reason_the_rule_gives(world, login):
    client = login(world.officer)
    response = client.get(reverse("visits:book"))
    assert response.status_code == 403
    html = _page(response)
    assert "无权执行此操作" in html
    assert permissions.denied_message("visits.book") in html  # "只有执业律师可以预约会见。"


@pytest.mark.urls("lvshi.site.tests.crash_urls")
@pytest.mark.django_db
def test_a_crash_is_a_500_page_that_needs_nothing_of_the_request(caplog):
    client = Client(raise_request_exception=False)
    response = client.get("/crash/")
    assert response.status_code == 500
    html = _page(response)
    assert "系统暂时出现问题" in html and "没有完成" in html
    assert "RuntimeError" not in html and "boom" not in html
    assert any(r.name == "django.request" and r.exc_info for r in caplog.records)


@pytest.mark.django_db
def test_a_refused_host_is_a_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    html = _page(response)
    assert "请求无法处理" in html


@pytest.mark.urls("lvshi.site.tests.crash_urls")
@pytest.mark.django_db
def test_the_development_server_shows_the_same_pages(settings, caplog):
    settings.DEBUG = True
    settings.DEBUG_ERROR_PAGES = False
    client = Client(raise_request_exception=False)
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "页面不存在，或您无权查看" in _page(missing)
    crashed = client.get("/crash/")
    assert crashed.status_code == 500 and "系统暂时出现问题" in _page(crashed)
    assert any(r.name == "django.request" and r.exc_info for r in caplog.records)
    # The API keeps its JSON errors.
    api = client.get("/api/v1/no-such-operation")
    assert api.status_code == 404 and api.json()["code"] == "not_found"


@pytest.mark.urls("lvshi.site.tests.crash_urls")
@pytest.mark.django_db
def test_django_s_technical_pages_only_when_asked_for(settings):
    settings.DEBUG = True
    settings.DEBUG_ERROR_PAGES = True
    client = Client(raise_request_exception=False)
    assert "Page not found" in client.get("/no-such-page/").content.decode()
    assert "RuntimeError" in client.get("/crash/").content.decode()
