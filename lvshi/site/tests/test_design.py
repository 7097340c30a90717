"""The design system's rules that can be read from its files
(docs/design.md): the colours' contrast, and one vocabulary."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CSS = (ROOT / "lvshi" / "static" / "css" / "app.css").read_text()
DESIGN = (ROOT / "docs" / "design.md").read_text()


def _tokens() -> dict[str, str]:
    root = CSS[CSS.index(":root {") : CSS.index("}", CSS.index(":root {"))]
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", root))


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_meet_wcag_aa_on_their_backgrounds():
    t = {**_tokens(), "white": "#ffffff"}
    pairs = [
        ("ink", "surface"),
        ("ink", "bg"),
        ("muted", "surface"),
        ("muted", "bg"),
        ("muted", "brand-tint"),
        ("brand", "surface"),
        ("brand", "bg"),
        ("white", "brand"),
        ("white", "brand-dark"),
        ("white", "danger"),
        ("danger", "surface"),
        ("ok", "surface"),
        ("warn", "surface"),
        ("brand-dark", "brand-tint"),
    ]
    low = {f"{a} on {b}": round(contrast(t[a], t[b]), 2) for a, b in pairs if contrast(t[a], t[b]) < 4.5}
    assert low == {}


def _avoided_words() -> list[str]:
    words = DESIGN[DESIGN.index("| 用词 |") :]
    avoided = []
    for row in words.splitlines()[2:]:
        if not row.startswith("|"):
            break
        last = row.strip("|").split("|")[-1]
        avoided += [w.strip() for w in last.split(",") if w.strip() and not w.strip().startswith("(")]
    return avoided


def test_the_words_the_glossary_avoids_appear_nowhere():
    avoided = _avoided_words()
    assert "预约失败记录" in avoided and "这个字段是必填项" in avoided  # the table is read
    found = []
    for path in (ROOT / "lvshi").rglob("*"):
        if path.suffix not in (".py", ".html") or "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        found += [f"{path.relative_to(ROOT)}: {w}" for w in avoided if w in text]
        if "你" in text.replace("您", ""):
            found.append(f"{path.relative_to(ROOT)}: 你")
    assert found == []


def test_the_english_catalogue_translates_every_message():
    """English mode must not fall back to Chinese: no message of the
    catalogue is left empty or fuzzy (``make messages`` after a change)."""
    po = (ROOT / "lvshi" / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text()
    missing = []
    for block in po.split("\n\n")[1:]:
        if "#, fuzzy" in block:
            missing.append(block)
            continue
        text = "\n".join(line for line in block.splitlines() if not line.startswith("#"))
        for found in re.finditer(r'msgstr(?:\[\d\])? ((?:"(?:[^"\\]|\\.)*"\s*)+)', text):
            if not "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', found.group(1))):
                missing.append(text.splitlines()[0])
    assert missing == []


def test_the_month_grid_s_weekdays_follow_the_language(world, login):
    from django.urls import reverse

    client = login(world.officer)
    assert '<th scope="col">一</th>' in client.get(reverse("calendar:month")).content.decode()
    client.cookies["django_language"] = "en"
    assert '<th scope="col">Mon</th>' in client.get(reverse("calendar:month")).content.decode()
