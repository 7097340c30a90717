"""Importing the corpus into the library (``manage.py import_laws DIR``):
each ``<category>/<name>.md`` is one version of a text. Importing again
changes nothing; a changed file replaces its text's structure and articles;
the newest version of each title is the one in force."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from . import search
from .models import Article, Heading, Law
from .parse import NotALaw, ParsedLaw, parse

# A text of the corpus is a few hundred kilobytes at most; anything larger is not one.
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    articles: int = 0
    refused: list[str] | None = None


def _store(law: Law, parsed: ParsedLaw) -> int:
    search.unindex_law(law.pk)
    Heading.objects.filter(law=law).delete()
    Article.objects.filter(law=law).delete()
    Heading.objects.bulk_create(
        [Heading(law=law, position=pos, level=level, text=text[:200]) for pos, level, text in parsed.headings],
        batch_size=1000,
    )
    articles = Article.objects.bulk_create(
        [
            Article(law=law, position=n, label=a.label[:30], number=a.number, path=a.path[:400], text=a.text)
            for n, a in enumerate(parsed.articles, start=1)
        ],
        batch_size=1000,
    )
    search.index(articles)
    return len(articles)


def import_file(path: Path, *, root: Path, report: ImportReport) -> None:
    source = path.relative_to(root).as_posix()
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise NotALaw(f"{source}: larger than {MAX_BYTES} bytes")
    digest = hashlib.sha256(data).hexdigest()
    existing = Law.objects.filter(source=source).first()
    if existing is not None and existing.sha256 == digest:
        report.unchanged += 1
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotALaw(f"{source}: not UTF-8") from exc
    parsed = parse(path.name, text)
    category = path.parent.name if path.parent != root else ""
    values = {
        "category": category[:20],
        "title": parsed.title[:200],
        "subtitle": parsed.subtitle[:100],
        "short_title": parsed.short_title[:200],
        "version": parsed.version,
        "history": parsed.history,
        "sha256": digest,
    }
    with transaction.atomic():
        if existing is None:
            law = Law.objects.create(source=source, **values)
            report.created += 1
        else:
            for key, value in values.items():
                setattr(law := existing, key, value)
            law.save()
            report.updated += 1
        report.articles += _store(law, parsed)


def mark_in_force() -> None:
    """The newest version of each title (and part) is the one in force."""
    newest = {
        (row["title"], row["subtitle"]): row["latest"]
        for row in Law.objects.values("title", "subtitle").annotate(latest=Max("version"))
    }
    current: list[int] = []
    old: list[int] = []
    for law in Law.objects.only("pk", "title", "subtitle", "version", "in_force"):
        latest = newest.get((law.title, law.subtitle))
        is_current = latest is None or law.version is None or law.version == latest
        (current if is_current else old).append(law.pk)
    Law.objects.filter(pk__in=current).update(in_force=True)
    Law.objects.filter(pk__in=old).update(in_force=False)


def import_dir(root: Path) -> ImportReport:
    report = ImportReport(refused=[])
    for path in sorted(root.rglob("*.md")):
        if path.name.lower() == "readme.md" or not path.is_file():
            continue
        try:
            import_file(path, root=root, report=report)
        except NotALaw as exc:
            assert report.refused is not None
            report.refused.append(str(exc))
    mark_in_force()
    return report
