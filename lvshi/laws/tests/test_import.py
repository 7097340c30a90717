"""Reading and importing the laws corpus: articles in their chapters, texts
without articles, versions, and an import that changes nothing the second
time and replaces a changed text."""

import shutil
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from lvshi.laws import tokens
from lvshi.laws.models import Article, Heading, Law
from lvshi.laws.parse import chinese_number, parse, parse_name
from lvshi.laws.services import import_dir

DATA = Path(__file__).resolve().parent.parent / "data"
CIVIL = DATA / "诉讼与非诉讼程序法" / "民事诉讼法(2023-09-01).md"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("一百二十六", 126),
        ("二百零六", 206),
        ("一千二百六十", 1260),
        ("12", 12),
    ],
)
def test_chinese_numbers(text, number):
    assert chinese_number(text) == number


def test_names_give_the_short_title_and_the_version():
    assert parse_name("民事诉讼法(2023-09-01).md") == ("民事诉讼法", date(2023, 9, 1))
    assert parse_name("刑法修正案（十一）.md") == ("刑法修正案（十一）", None)


def test_a_code_reads_into_its_chapters_and_articles():
    law = parse(CIVIL.name, CIVIL.read_text(encoding="utf-8"))
    assert law.title == "中华人民共和国民事诉讼法" and law.version == date(2023, 9, 1)
    assert "第五次修正" in law.history
    numbers = [a.number for a in law.articles]
    assert numbers[:3] == [1, 2, 3] and numbers == sorted(numbers)
    article = next(a for a in law.articles if a.label == "第一百二十六条")
    assert "七日内" in article.text and "第十二章" in article.path
    assert ("第一编 总 则" in [h[2] for h in law.headings]) or any("总" in h[2] for h in law.headings)


def test_a_text_without_articles_is_read_by_its_items():
    text = (
        "# 刑法修正案（九）\n\n2015年8月29日 通过\n\n<!-- INFO END -->\n\n"
        "一、将刑法第一条修改为：\n\n“原文”\n\n二、删去第二条。\n"
    )
    law = parse("刑法修正案（九）.md", text)
    assert law.version == date(2015, 8, 29)
    assert [(a.label, a.text.count("\n")) for a in law.articles] == [("一、", 1), ("二、", 0)]


def test_tokens_overlap_by_two_characters():
    assert tokens.tokens("民事诉讼") == ["民事", "事诉", "诉讼"]
    assert tokens.tokens("第一百二十六条，ABC") == ["第一", "一百", "百二", "二十", "十六", "六条", "ab", "bc"]
    assert tokens.query_tokens("诉讼 时效") == [["诉讼"], ["时效"]]
    assert tokens.query_tokens("法") == [["法"]]


def test_import_is_idempotent_and_replaces_a_changed_text(db, tmp_path):
    root = tmp_path / "laws"
    shutil.copytree(DATA, root)
    first = import_dir(root)
    assert first.created == 7 and first.refused == []
    assert Law.objects.count() == 7 and Article.objects.count() == first.articles > 500
    again = import_dir(root)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    civil = root / "诉讼与非诉讼程序法" / CIVIL.name
    civil.write_text(civil.read_text(encoding="utf-8").replace("第一条 ", "第一条 （修订）", 1), encoding="utf-8")
    changed = import_dir(root)
    assert (changed.updated, changed.unchanged) == (1, 6)
    law = Law.objects.get(short_title="民事诉讼法")
    assert law.articles.get(number=1).text.startswith("第一条 （修订）")
    assert Heading.objects.filter(law=law).exists()


def test_the_newest_version_is_in_force(db, tmp_path):
    root = tmp_path / "laws"
    (root / "诉讼与非诉讼程序法").mkdir(parents=True)
    shutil.copy(CIVIL, root / "诉讼与非诉讼程序法" / CIVIL.name)
    shutil.copy(CIVIL, root / "诉讼与非诉讼程序法" / "民事诉讼法(2021-12-24).md")
    import_dir(root)
    assert dict(Law.objects.values_list("version", "in_force")) == {date(2023, 9, 1): True, date(2021, 12, 24): False}


def test_files_that_are_not_laws_are_skipped_and_said(db, tmp_path):
    root = tmp_path / "laws"
    root.mkdir()
    (root / "notes.md").write_text("no title here", encoding="utf-8")
    (root / "bad(2020-13-45).md").write_text("# x", encoding="utf-8")
    (root / "binary.md").write_bytes(b"\xff\xfe\x00")
    report = import_dir(root)
    assert report.created == 0 and len(report.refused) == 3


def test_the_command_reports_what_it_did(db):
    out = StringIO()
    call_command("import_laws", str(DATA), stdout=out)
    assert "7 new" in out.getvalue()
    call_command("import_laws", str(DATA), stdout=(out := StringIO()))
    assert "7 unchanged" in out.getvalue()
