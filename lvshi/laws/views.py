"""The library's pages, public: search (articles, highlighted) and browse
(texts by category), and a text with its structure and anchored articles."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from lvshi.core.http import HtmxHttpRequest
from lvshi.orgs import permissions

from . import search, selectors
from .forms import SearchForm

PER_PAGE = 20


class _Found:
    """One page of search hits that knows how many there are in all, for the paginator."""

    def __init__(self, hits: list, total: int, offset: int):
        self.hits, self.total, self.offset = hits, total, offset

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list:
        return self.hits[window.start - self.offset : window.stop - self.offset]


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 500))
    except (TypeError, ValueError):
        return 1


@require_safe
@permissions.page(permissions.PUBLIC)
def index(request: HtmxHttpRequest):
    form = SearchForm(request.GET or None)
    context: dict = {"form": form, "query": "", "page": None}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound and form.cleaned_data["q"]:
        query, filters = form.cleaned_data["q"], form.filters()
        number = _page_number(request)
        result = search.search(query, filters, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
        last = max(1, -(-result.total // PER_PAGE))
        if number > last:
            number = last
            result = search.search(query, filters, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
        found = _Found(selectors.hits(query, result.ids), result.total, (number - 1) * PER_PAGE)
        context.update(query=query, total=result.total, page=Paginator(found, PER_PAGE).page(number))  # type: ignore[arg-type]
    else:
        filters = form.filters() if form.is_bound else search.Filters()
        context["page"] = Paginator(selectors.laws(filters), 50).get_page(request.GET.get("page"))
    template = "laws/index.html#results" if request.htmx and not request.htmx.boosted else "laws/index.html"
    return render(request, template, context, status=status)


@require_safe
@permissions.page(permissions.PUBLIC)
def law(request: HtmxHttpRequest, law_id: int):
    item = selectors.law_or_404(law_id)
    return render(
        request,
        "laws/law.html",
        {"structure": selectors.structure(item), "versions": list(selectors.versions(item))},
    )
