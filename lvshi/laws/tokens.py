"""The one tokenizer of Chinese full-text search (docs/decisions, C12):
overlapping two-character tokens of each run of letters and digits, made in
Python, so that SQLite FTS5 and PostgreSQL's ``tsvector('simple')`` index
the same tokens and a query matches exactly where a substring scan would.

``民事诉讼`` → ``民事 事诉 诉讼``. A run of one character is a token of its
own; Latin letters are lower-cased."""

from __future__ import annotations

import re

_RUN = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def runs(text: str) -> list[str]:
    return [r.lower() for r in _RUN.findall(text or "")]


def bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(text: str) -> list[str]:
    """Every token of *text*, in order (repeats kept)."""
    return [t for run in runs(text) for t in bigrams(run)]


def document(text: str) -> str:
    """*text* as the space-separated tokens an index stores."""
    return " ".join(tokens(text))


def query_tokens(query: str) -> list[list[str]]:
    """The tokens each word of a query needs (words are split on spaces and
    punctuation): a match must hold all of them, adjacent, for each word."""
    return [bigrams(run) for run in runs(query)]
