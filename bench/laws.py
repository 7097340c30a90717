"""The laws library's benchmark: importing the whole corpus, the search's
speed for 2-, 3- and 4-character and two-word queries, its recall against a
substring scan, and the time to render a watermarked page of a case file.

    python -m bench.laws [CORPUS]        # SQLite, and PostgreSQL when DATABASE_URL is set

Each database is fresh (a file under BENCH_DIR; on PostgreSQL the database
``<name>_run``, dropped afterwards). One JSON line per database on stdout."""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

from .flash_crowd import ROOT, each_database, log

CORPUS = ROOT.parent / "shared" / "data" / "laws"
QUERIES = int(os.environ.get("LAW_QUERIES", "50"))  # timed queries of each kind
RECALL = int(os.environ.get("LAW_RECALL", "100"))  # queries checked against the scan
KINDS = ("2", "3", "4", "two words")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def make_queries(articles: list[str], kind: str, count: int, rng: random.Random) -> list[str]:
    from lvshi.laws.tokens import runs

    out: list[str] = []
    while len(out) < count:
        text_runs = [r for r in runs(rng.choice(articles)) if len(r) >= 4]
        if len(text_runs) < 2:
            continue
        if kind == "two words":
            first, second = rng.sample(text_runs, 2)
            a, b = rng.randrange(len(first) - 1), rng.randrange(len(second) - 1)
            out.append(f"{first[a : a + 2]} {second[b : b + 3]}")
        else:
            n = int(kind)
            run = rng.choice(text_runs)
            start = rng.randrange(len(run) - n + 1)
            out.append(run[start : start + n])
    return out


def watermark_p50(pages: int = 10, rounds: int = 3) -> float:
    """A watermarked page's render time (pypdfium2 + Pillow), p50 over a ten-page volume read a few times."""
    from lvshi.courts.demo_casework import demo_pdf
    from lvshi.courts.watermark import render

    data = demo_pdf("bench.pdf", [[f"第{n}页", "借款合同、转账凭证、催款函"] for n in range(1, pages + 1)]).read()
    render(data, 0, "warm")
    spent = []
    for r in range(rounds):
        for n in range(pages):
            began = time.perf_counter()
            render(data, n, f"张明 执业证号14401201810000001 2026-12-04 10:{r:02d}")
            spent.append((time.perf_counter() - began) * 1000)
    return round(percentile(spent, 0.5), 1)


def inner(corpus: Path) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from lvshi.laws import search
    from lvshi.laws.models import Article
    from lvshi.laws.services import import_dir

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    report = import_dir(corpus)
    import_seconds = time.perf_counter() - started
    started = time.perf_counter()
    import_dir(corpus)
    again_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    rows = list(Article.objects.order_by("-law__in_force", "law_id", "position").values_list("pk", "text"))
    texts = [(pk, text.lower()) for pk, text in rows]
    rng = random.Random(11)
    timings: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        queries = make_queries([t for _, t in texts], kind, QUERIES, rng)
        search.search(queries[0])  # warm the caches
        spent = []
        for query in queries:
            began = time.perf_counter()
            search.search(query)
            spent.append((time.perf_counter() - began) * 1000)
        timings[kind] = {"p50_ms": round(percentile(spent, 0.5), 2), "p99_ms": round(percentile(spent, 0.99), 2)}

    # Recall: every article holding the words, in the search's order, as a scan finds them.
    checked = [q for kind in KINDS for q in make_queries([t for _, t in texts], kind, RECALL // len(KINDS), rng)]
    missed = extra = 0
    for query in checked:
        words = search.words(query)
        expected = [pk for pk, text in texts if all(search._holds(text, w) for w in words)]
        found = search.search(query, limit=len(texts)).ids
        missed += len(set(expected) - set(found))
        extra += len(set(found) - set(expected))
        assert found == expected, f"{query!r}: the search found {len(found)}, the scan {len(expected)}"
    return {
        "db": connection.vendor,
        "watermark_page_p50_ms": watermark_p50(),
        "laws": report.created,
        "articles": report.articles,
        "refused": len(report.refused or []),
        "import_s": round(import_seconds, 1),
        "reimport_unchanged_s": round(again_seconds, 1),
        "search": timings,
        "recall_queries": len(checked),
        "recall_missed": missed,
        "recall_extra": extra,
    }


def main() -> int:
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else CORPUS).resolve()
    if not corpus.is_dir():
        log(f"no corpus at {corpus}: give its directory as the argument")
        return 2
    return each_database("laws", ["bench.laws", "--inner", str(corpus)], f"laws: importing {corpus} and searching it")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--inner":
        print(json.dumps(inner(Path(sys.argv[2])), ensure_ascii=False))
        sys.exit(0)
    sys.exit(main())
