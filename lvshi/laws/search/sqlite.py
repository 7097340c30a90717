"""The SQLite backend: an FTS5 table (``unicode61``) of the articles' token
documents, its rowid the article's id. A run of text ends with a token no
query can hold (``SEPARATOR``), so a phrase never spans two runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection

from ..tokens import bigrams, runs

if TYPE_CHECKING:
    from . import Filters

TABLE = "laws_article_fts"
# A letter unicode61 keeps as a token but the tokenizer never makes.
SEPARATOR = "ǂ"

CREATE = f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(doc, tokenize = 'unicode61')"
DROP = f"DROP TABLE IF EXISTS {TABLE}"


def document(text: str) -> str:
    return f" {SEPARATOR} ".join(" ".join(bigrams(run)) for run in runs(text))


def index(rows: list[tuple[int, str]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, doc) VALUES (%s, %s)", [(pk, document(text)) for pk, text in rows]
        )


def unindex_law(law_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN (SELECT id FROM laws_article WHERE law_id = %s)", [law_id])


def expression(words: list[str]) -> str:
    """The FTS5 query: each word a phrase of its tokens (a one-character word
    a prefix), all of them required."""
    parts = [f"{w}*" if len(w) == 1 else '"' + " ".join(bigrams(w)) + '"' for w in words]
    return " AND ".join(parts)


def match(words: list[str], filters: Filters, *, offset: int, limit: int) -> tuple[int, list[int]]:
    where = [f"{TABLE} MATCH %s"]
    params: list[str | bool] = [expression(words)]
    if filters.category:
        where.append("l.category = %s")
        params.append(filters.category)
    if filters.in_force is not None:
        where.append("l.in_force = %s")
        params.append(filters.in_force)
    sql = (
        f"FROM {TABLE} f JOIN laws_article a ON a.id = f.rowid JOIN laws_law l ON l.id = a.law_id "
        f"WHERE {' AND '.join(where)}"
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
