"""Reading the library: search results with their highlighted passages, the
categories, and a text's structure (编/章/节) with its articles."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from . import search
from .models import Article, Law

EXCERPT_CHARS = 160  # of an article's text around its first match


@dataclass
class Hit:
    article: Article
    # The excerpt as (text, matched) pieces; the pages mark the matched ones.
    pieces: list[tuple[str, bool]]
    spans: list[tuple[int, int]]  # the matches' [start, end) in excerpt
    excerpt: str


@dataclass
class Section:
    """A heading of a text's structure and the anchor of its first article."""

    text: str
    depth: int
    anchor: str


@dataclass
class Structure:
    law: Law
    sections: list[Section] = field(default_factory=list)
    # Each article with the headings that begin just before it.
    rows: list[tuple[list[Section], Article]] = field(default_factory=list)


def categories() -> list[tuple[str, int]]:
    """The categories with how many texts each holds (cached: they change on import only)."""
    key = f"laws:categories:{Law.objects.count()}"
    found = cache.get(key)
    if found is None:
        found = list(Law.objects.order_by("category").values_list("category").annotate(n=Count("pk")))
        cache.set(key, found, 600)
    return found


def laws(filters: search.Filters) -> QuerySet[Law]:
    rows = Law.objects.defer("history").order_by("-in_force", "category", "short_title", "subtitle", "-version")
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.in_force is not None:
        rows = rows.filter(in_force=filters.in_force)
    return rows


def spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the words occur in *text* (Latin letters in any case), merged."""
    lower = text.lower()
    found: list[tuple[int, int]] = []
    for word in words:
        start = lower.find(word)
        while start >= 0:
            found.append((start, start + len(word)))
            start = lower.find(word, start + 1)
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(found):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


def excerpt(text: str, words: list[str], width: int = EXCERPT_CHARS) -> tuple[str, list[tuple[int, int]]]:
    """A passage of about *width* characters around the first match, and the matches in it."""
    places = spans(text, words)
    start = 0
    if len(text) > width and places:
        start = max(0, min(places[0][0] - width // 4, len(text) - width))
    piece = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    shift = len(prefix) - start
    inside = [(max(b + shift, len(prefix)), min(e + shift, len(prefix) + len(piece))) for b, e in places]
    inside = [(b, e) for b, e in inside if b < e]
    return prefix + piece + suffix, inside


def pieces(text: str, marks: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    at = 0
    for begin, end in marks:
        if begin > at:
            out.append((text[at:begin], False))
        out.append((text[begin:end], True))
        at = end
    if at < len(text):
        out.append((text[at:], False))
    return out


def hits(query: str, ids: list[int]) -> list[Hit]:
    words = search.words(query)
    by_id = Article.objects.select_related("law").defer("law__history").in_bulk(ids)
    out = []
    for pk in ids:
        article = by_id.get(pk)
        if article is None:
            continue
        text, marks = excerpt(article.text, words)
        out.append(Hit(article=article, pieces=pieces(text, marks), spans=marks, excerpt=text))
    return out


def law_or_404(pk: int) -> Law:
    return get_object_or_404(Law, pk=pk)


def structure(law: Law) -> Structure:
    """The text's headings as its articles' paths give them, each anchored at its first article."""
    result = Structure(law=law)
    previous: list[str] = []
    for article in law.articles.all():
        parts = [p for p in article.path.split(" / ") if p] if article.path else []
        common = 0
        while common < min(len(parts), len(previous)) and parts[common] == previous[common]:
            common += 1
        opened = []
        for depth, text in enumerate(parts[common:], start=common):
            section = Section(text=text, depth=depth, anchor=f"s{len(result.sections) + 1}")
            result.sections.append(section)
            opened.append(section)
        result.rows.append((opened, article))
        previous = parts
    return result


def versions(law: Law) -> QuerySet[Law]:
    """Every version of the same text (the same title and part), newest first."""
    return (
        Law.objects.filter(title=law.title, subtitle=law.subtitle)
        .only("pk", "version", "in_force")
        .order_by("-version")
    )
