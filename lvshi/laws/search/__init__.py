"""Chinese full-text search of the library's articles (C12).

One tokenizer (``lvshi.laws.tokens``) and two small backends, chosen by the
database in use: SQLite's FTS5 (``sqlite.py``) and a PostgreSQL ``tsvector``
with a GIN index (``postgres.py``). Both answer the same question the same
way — the articles holding every word of the query as a substring — so a
search finds exactly what a scan of the texts would (``substring_scan``, the
yardstick of the tests and the benchmark). A one-character word cannot be a
two-character token: it is looked up as the prefix of a token instead.

Results come in one order on both databases: texts in force first, then by
text and article."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType

from django.db import connection

from ..models import Article
from ..tokens import runs
from . import postgres, sqlite

# A query is a few words (split on spaces and punctuation) of at most this
# many characters each; the indexes are built for them.
MAX_WORDS = 6
MAX_WORD_CHARS = 50


class QueryError(ValueError):
    code = "invalid_query"


@dataclass(frozen=True)
class Filters:
    category: str = ""
    in_force: bool | None = None


@dataclass
class Result:
    total: int
    ids: list[int]


def words(query: str) -> list[str]:
    """The query's words, checked: at most MAX_WORDS of MAX_WORD_CHARS."""
    found = list(dict.fromkeys(runs(query)))
    if len(found) > MAX_WORDS:
        raise QueryError(f"检索词最多 {MAX_WORDS} 个，请减少检索词后再试。")
    if any(len(w) > MAX_WORD_CHARS for w in found):
        raise QueryError(f"每个检索词最多 {MAX_WORD_CHARS} 个字，请缩短后再试。")
    # One word may hold another (律师 / 律师法): the longer one decides.
    return [w for w in found if not any(w != o and w in o for o in found)]


def _backend() -> ModuleType:
    return postgres if connection.vendor == "postgresql" else sqlite


def search(query: str, filters: Filters = Filters(), *, offset: int = 0, limit: int = 20) -> Result:
    """The ids of the articles matching *query*, one page of them, and how many match."""
    found = words(query)
    if not found:
        return Result(total=0, ids=[])
    total, ids = _backend().match(found, filters, offset=offset, limit=limit)
    return Result(total=total, ids=ids)


def index(articles: Iterable[Article]) -> None:
    """Adds the articles (saved, with their ids) to the search index."""
    _backend().index([(a.pk, a.text) for a in articles])


def unindex_law(law_id: int) -> None:
    """Takes a text's articles out of the index (before they are deleted)."""
    _backend().unindex_law(law_id)


def substring_scan(query: str, filters: Filters = Filters()) -> list[int]:
    """The articles holding every word, found by reading every text: slow,
    obviously right, the measure of ``search``'s recall."""
    found = words(query)
    if not found:
        return []
    articles = Article.objects.select_related("law").order_by("-law__in_force", "law_id", "position")
    if filters.category:
        articles = articles.filter(law__category=filters.category)
    if filters.in_force is not None:
        articles = articles.filter(law__in_force=filters.in_force)
    hits = []
    for article in articles.only("pk", "text", "law__in_force").iterator(chunk_size=2000):
        text = article.text.lower()
        if all(_holds(text, w) for w in found):
            hits.append(article.pk)
    return hits


def _holds(text: str, word: str) -> bool:
    if len(word) > 1:
        return word in text
    # A one-character word is a prefix of a token: the first character of a
    # two-character token, or a one-character run of its own.
    return any(run[:-1].find(word) >= 0 or run == word for run in runs(text) if word in run)
