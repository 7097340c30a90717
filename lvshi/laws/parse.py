"""Reading one text of the corpus (``../shared/data/laws/``, see its
README): ``<short title>(<YYYY-MM-DD>).md``; line 1 ``# <full title>``, an
optional ``# <subtitle>``; the history lines up to ``<!-- INFO END -->``;
then ``#`` headings (编/章/节) and articles, paragraphs starting
``第X条``, an article running over the paragraphs up to the next one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

INFO_END = "<!-- INFO END -->"
_NAME = re.compile(r"^(?P<short>.+?)(?:\((?P<date>\d{4}-\d{2}-\d{2})\))?\.md$")
_HISTORY_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ARTICLE = re.compile(r"^(第[零〇一二三四五六七八九十百千两\d]+条(?:之[一二三四五六七八九十]+)?)[\s　]*(.*)$")
# Texts without articles (an amendment, a standard): items "一、…", else paragraphs.
_ITEM = re.compile(r"^([一二三四五六七八九十百]+)、")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


class NotALaw(ValueError):
    """A file that is not a text of the corpus's format."""


def chinese_number(text: str) -> int:
    """一百二十六 → 126; 十 → 10; 二百零六 → 206; also plain digits."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            raise ValueError(text)
    return total + digit


@dataclass
class ParsedArticle:
    label: str
    number: int
    path: str
    text: str


@dataclass
class ParsedLaw:
    short_title: str
    version: date | None
    title: str
    subtitle: str = ""
    history: str = ""
    headings: list[tuple[int, int, str]] = field(default_factory=list)  # (position, level, text)
    articles: list[ParsedArticle] = field(default_factory=list)


def parse_name(name: str) -> tuple[str, date | None]:
    """``民事诉讼法(2023-09-01).md`` → the short title and the version's date
    (None when the name has no date: a code's part, an amendment)."""
    m = _NAME.match(name)
    if m is None:
        raise NotALaw(f"{name}: the name is not '<title>(YYYY-MM-DD).md'")
    try:
        return m["short"], date.fromisoformat(m["date"]) if m["date"] else None
    except ValueError as exc:
        raise NotALaw(f"{name}: {exc}") from exc


def _latest_history_date(history: list[str]) -> date | None:
    found = []
    for line in history:
        for y, mo, d in _HISTORY_DATE.findall(line):
            try:
                found.append(date(int(y), int(mo), int(d)))
            except ValueError:
                continue
    return max(found) if found else None


def parse(name: str, text: str) -> ParsedLaw:
    short, version = parse_name(name)
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or not lines[0].startswith("# "):
        raise NotALaw(f"{name}: the first line is not '# <title>'")
    law = ParsedLaw(short_title=short, version=version, title=lines[0][2:].strip())
    rest = lines[1:]
    if INFO_END in rest:
        end = rest.index(INFO_END)
        head, body = rest[:end], rest[end + 1 :]
    else:
        head, body = [], rest
    history: list[str] = []
    for line in head:
        stripped = line.strip()
        if stripped.startswith("# ") and not law.subtitle and not history:
            law.subtitle = stripped[2:].strip()
        elif stripped:
            history.append(stripped)
    law.history = "\n".join(history)
    if law.subtitle and law.short_title in law.subtitle:
        # A part of a code (民法典/合同编.md): the code's name is the short title.
        law.short_title = law.title.removeprefix("中华人民共和国")
    if law.version is None:
        law.version = _latest_history_date(history)
    path: dict[int, str] = {}
    current: ParsedArticle | None = None
    position = 0
    for line in body:
        stripped = line.strip().replace("\u3000", " ")
        if not stripped:
            continue
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            heading = re.sub(r"\s+", " ", stripped.lstrip("#").strip())
            if not heading:
                continue
            position += 1
            law.headings.append((position, level, heading))
            path = {k: v for k, v in path.items() if k < level}
            path[level] = heading
            current = None
            continue
        m = _ARTICLE.match(stripped)
        if m is not None:
            label = m[1]
            number_text = label[1 : label.index("条")]
            current = ParsedArticle(
                label=label,
                number=chinese_number(number_text),
                path=" / ".join(path[k] for k in sorted(path)),
                text=stripped,
            )
            law.articles.append(current)
        elif current is not None:
            current.text += "\n" + stripped
        # Text before the first article (a preamble) belongs to no article.
    if not law.articles:
        law.articles = _units(body)
    return law


def _units(body: list[str]) -> list[ParsedArticle]:
    """The searchable units of a text without 第X条: its numbered items
    (一、二、…) with the paragraphs under them, or else each paragraph."""
    paragraphs = [p.strip() for p in body if p.strip() and not p.strip().startswith("#")]
    units: list[ParsedArticle] = []
    if any(_ITEM.match(p) for p in paragraphs):
        for p in paragraphs:
            m = _ITEM.match(p)
            if m is not None or not units:
                label = f"{m[1]}、" if m else ""
                units.append(ParsedArticle(label=label, number=len(units) + 1, path="", text=p))
            else:
                units[-1].text += "\n" + p
        return units
    return [ParsedArticle(label="", number=n, path="", text=p) for n, p in enumerate(paragraphs, start=1)]
