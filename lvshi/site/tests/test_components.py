"""The design system's list components keep the list's filters."""

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory


def _render(source: str, path: str, **context) -> str:
    request = RequestFactory().get(path)
    return Template("{% load design %}" + source).render(Context({"request": request, **context}))


def test_query_keeps_the_other_parameters_and_drops_what_is_none():
    assert _render("{% query page=2 %}", "/x/?q=张&status=approved") == "?q=%E5%BC%A0&amp;status=approved&amp;page=2"
    assert _render('{% query status="rejected" page=None %}', "/x/?status=approved&page=3") == "?status=rejected"
    assert _render("{% query page=None %}", "/x/?page=3") == "?"


def test_tabs_mark_the_current_one_and_keep_filters():
    tabs = [
        {"status": "under_review", "label": "预约审核中", "count": 2, "current": False},
        {"status": "approved", "label": "已通过", "count": 5, "current": True},
    ]
    html = _render('{% include "components/tabs.html" with label="预约状态" %}', "/b/?q=张&page=2", tabs=tabs)
    assert 'aria-label="预约状态"' in html
    assert 'href="?q=%E5%BC%A0&amp;status=approved" aria-current="page"' in html
    assert 'href="?q=%E5%BC%A0&amp;status=under_review">' in html


def test_pagination_links_keep_filters_and_redraw_in_place_with_htmx():
    page = Paginator(list(range(50)), 20).get_page(2)
    html = _render(
        '{% include "components/pagination.html" with target="#list" %}', "/l/?status=open&page=2", page=page
    )
    assert 'href="?status=open&amp;page=1" rel="prev" hx-get="?status=open&amp;page=1" hx-target="#list"' in html
    assert 'href="?status=open&amp;page=3" rel="next"' in html and "第 2 / 3 页" in html
    single = Paginator([1], 20).get_page(1)
    assert "pagination" not in _render('{% include "components/pagination.html" %}', "/l/", page=single)
