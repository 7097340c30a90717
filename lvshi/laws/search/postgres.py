"""The PostgreSQL backend: a table of the articles' token vectors
(``tsvector``, built in Python with explicit positions, not by a text search
parser) with a GIN index. A run of text leaves a gap of one position, so a
phrase (``<->``) never spans two runs.

A ``tsvector`` keeps at most 256 positions of a token and none past 16,383,
so a long article is indexed in pieces: each line on its own, a long line in
windows that overlap by more than the longest query word.

The table has no foreign key (Django's test flush truncates the articles
alone); a text's rows are deleted with its articles (``unindex_law``), and a
row whose article is gone matches nothing, since every search joins the
articles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection

from ..tokens import bigrams, runs

if TYPE_CHECKING:
    from . import Filters

TABLE = "laws_article_tsv"
WINDOW = 1000
OVERLAP = 64  # tokens shared by two windows: more than a query word's (MAX_WORD_CHARS)

CREATE = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    " id bigserial PRIMARY KEY,"
    " article_id bigint NOT NULL,"
    " doc tsvector NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_doc ON {TABLE} USING gin (doc)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_article ON {TABLE} (article_id)",
]
DROP = [f"DROP TABLE IF EXISTS {TABLE}"]


def _positions(line: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    position = 0
    for run in runs(line):
        for token in bigrams(run):
            position += 1
            out.append((token, position))
        position += 1  # the gap between runs
    return out


def _vector(tokens: list[tuple[str, int]]) -> str:
    start = tokens[0][1] - 1
    by_token: dict[str, list[str]] = {}
    for token, position in tokens:
        by_token.setdefault(token, []).append(str(position - start))
    return " ".join(f"'{token}':{','.join(places)}" for token, places in by_token.items())


def vectors(text: str) -> list[str]:
    """The article's pieces as ``tsvector`` literals."""
    pieces = []
    for line in text.splitlines():
        tokens = _positions(line)
        step = WINDOW - OVERLAP
        for begin in range(0, max(len(tokens) - OVERLAP, 1), step):
            window = tokens[begin : begin + WINDOW]
            if window:
                pieces.append(_vector(window))
    return pieces


def index(rows: list[tuple[int, str]]) -> None:
    values = [(pk, vector) for pk, text in rows for vector in vectors(text)]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {TABLE} (article_id, doc) VALUES (%s, %s::tsvector)", values)


def unindex_law(law_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE article_id IN (SELECT id FROM laws_article WHERE law_id = %s)", [law_id]
        )


def tsquery(word: str) -> str:
    if len(word) == 1:
        return f"'{word}':*"
    return " <-> ".join(f"'{t}'" for t in bigrams(word))


def match(words: list[str], filters: Filters, *, offset: int, limit: int) -> tuple[int, list[int]]:
    # Each word may sit in another piece of the article: one set per word, intersected.
    sets = " INTERSECT ".join([f"SELECT DISTINCT article_id FROM {TABLE} WHERE doc @@ %s::tsquery"] * len(words))
    where = []
    params: list[str | bool] = [tsquery(w) for w in words]
    if filters.category:
        where.append("l.category = %s")
        params.append(filters.category)
    if filters.in_force is not None:
        where.append("l.in_force = %s")
        params.append(filters.in_force)
    sql = f"FROM ({sets}) m JOIN laws_article a ON a.id = m.article_id JOIN laws_law l ON l.id = a.law_id" + (
        f" WHERE {' AND '.join(where)}" if where else ""
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {sql}", params)
        total = cursor.fetchone()[0]
        if not total or offset >= total:
            return total, []
        cursor.execute(
            f"SELECT a.id {sql} ORDER BY l.in_force DESC, a.law_id, a.position LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return total, [row[0] for row in cursor.fetchall()]
