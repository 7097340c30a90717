"""The library's search finds exactly what a scan of the texts finds, on
the database in use (CI runs this file on SQLite and on PostgreSQL), for
words of one to four characters, several words, and the filters; with a
sample of the official corpus when it is at hand, else the shipped texts."""

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lvshi.laws import search
from lvshi.laws.models import Article, Law
from lvshi.laws.search import postgres, sqlite
from lvshi.laws.services import import_dir
from lvshi.laws.tokens import runs

SHIPPED = Path(__file__).resolve().parent.parent / "data"
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "laws"


@pytest.fixture
def library(db, tmp_path):
    if CORPUS.is_dir():
        files = sorted(CORPUS.rglob("*.md"))
        for path in [f for f in files if f.name != "README.md"][::30]:
            target = tmp_path / path.relative_to(CORPUS)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    shutil.copytree(SHIPPED, tmp_path, dirs_exist_ok=True)
    import_dir(tmp_path)
    return list(Article.objects.values_list("text", flat=True))


def sample_queries(texts, rng):
    queries = []
    while len(queries) < 60:
        text_runs = [r for r in runs(rng.choice(texts)) if len(r) >= 4]
        if len(text_runs) < 2:
            continue
        run, other = rng.sample(text_runs, 2)
        n = rng.choice([1, 2, 3, 4])
        start = rng.randrange(len(run) - n + 1)
        queries.append(run[start : start + n])
        queries.append(f"{run[:2]} {other[-3:]}")
    return queries


def test_search_finds_what_a_scan_finds(library):
    rng = random.Random(3)
    for query in sample_queries(library, rng):
        expected = search.substring_scan(query)
        result = search.search(query, limit=100_000)
        assert result.ids == expected, query
        assert result.total == len(expected)


def test_filters_and_pages(library):
    category = Law.objects.values_list("category", flat=True).first()
    old = Law.objects.filter(short_title="律师法").first()
    Law.objects.filter(pk=old.pk).update(in_force=False)
    for filters in [search.Filters(category=category), search.Filters(in_force=True), search.Filters(in_force=False)]:
        expected = search.substring_scan("律师", filters)
        assert search.search("律师", filters, limit=100_000).ids == expected
        assert expected
    everything = search.substring_scan("律师")
    page = search.search("律师", offset=10, limit=10)
    assert page.total == len(everything) and page.ids == everything[10:20]
    assert search.search("律师", offset=10_000).ids == []


def test_a_phrase_never_spans_punctuation(db):
    law = Law.objects.create(category="x", title="t", short_title="t", source="x/t.md", sha256="0")
    article = Article.objects.create(law=law, position=1, label="第一条", number=1, path="", text="甲民事，事诉乙")
    search.index([article])
    assert search.search("民事诉").ids == [] == search.substring_scan("民事诉")
    assert search.search("民事").ids == [article.pk]


def test_queries_are_checked():
    with pytest.raises(search.QueryError):
        search.words("甲 乙 丙 丁 戊 己 庚")
    with pytest.raises(search.QueryError):
        search.words("法" * 51)
    assert search.words("律师 律师法，") == ["律师法"]
    assert search.words("  ，。!!  ") == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=30))
def test_any_query_is_answered_or_refused_with_a_reason(library, query):
    try:
        expected = search.substring_scan(query)
    except search.QueryError:
        return
    assert search.search(query, limit=100_000).ids == expected


def test_long_lines_are_indexed_in_overlapping_windows():
    text = "".join(chr(0x4E00 + i % 3000) for i in range(2500))
    pieces = postgres.vectors(text)
    assert len(pieces) == 3
    assert sqlite.document("民事诉讼，法院") == "民事 事诉 诉讼 ǂ 法院"
    assert postgres.tsquery("法") == "'法':*" and postgres.tsquery("诉讼法") == "'诉讼' <-> '讼法'"
