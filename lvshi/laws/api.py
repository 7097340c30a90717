"""The library in the JSON API (``/api/v1/laws``), public: search the
articles, browse the texts, read one text with its structure."""

from __future__ import annotations

from datetime import date

from ninja import Field, Query, Router, Schema

from lvshi.core.api import Id, Limit, Offset
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from . import search, selectors
from .models import Law

router = Router(tags=["laws"])

LAW_FIELDS = ("pk", "category", "title", "subtitle", "short_title", "version", "in_force")


class SearchParams(Schema):
    q: str = Field(
        "", max_length=200, description="检索词，多个词用空格分开（最多 6 个，每个最多 50 字）；不填则列出文本"
    )
    category: str = Field("", max_length=20, description="类别，如 诉讼与非诉讼程序法、司法解释；不填为全部")
    in_force: bool | None = Field(None, description="true 只要现行有效的，false 只要已被修改或废止的")
    offset: Offset = 0
    limit: Limit = 20


class LawOut(Schema):
    id: int
    category: str
    title: str
    subtitle: str = Field(description="分编，如 民法典的 合同编")
    short_title: str
    version: date | None = Field(description="版本日期（公布或施行）")
    in_force: bool


class HitOut(Schema):
    article_id: int
    law: LawOut
    label: str = Field(description="条，如 第一百二十六条；没有条的文本为空")
    position: int = Field(description="在文本中的次序，也是页面上的锚点 #a<position>")
    path: str = Field(description="所在的编、章、节")
    excerpt: str = Field(description="命中处附近的一段原文（约 160 字）")
    highlights: list[tuple[int, int]] = Field(description="检索词在 excerpt 中的位置 [开始, 结束)")


class SearchOut(Schema):
    q: str
    total: int = Field(description="有 q 时为命中的条文数，否则为文本数")
    articles: list[HitOut] = Field(description="有 q 时：命中的条文，现行有效的在前")
    laws: list[LawOut] = Field(description="没有 q 时：文本列表")


class ArticleOut(Schema):
    position: int
    label: str
    number: int
    path: str
    text: str


class SectionOut(Schema):
    text: str = Field(description="编、章、节的标题")
    depth: int = Field(description="0 为最上一级")
    anchor: str = Field(description="页面上的锚点")
    first_article: int = Field(description="其下第一条的 position")


class LawDetailOut(LawOut):
    history: str = Field(description="制定和修改情况")
    versions: list[LawOut] = Field(description="同一文本的各个版本，新的在前")
    sections: list[SectionOut]
    articles: list[ArticleOut]


def _law(law: Law) -> dict:
    return {
        "id": law.pk,
        "category": law.category,
        "title": law.title,
        "subtitle": law.subtitle,
        "short_title": law.short_title,
        "version": law.version,
        "in_force": law.in_force,
    }


@router.get("", response=SearchOut, auth=None, url_name="laws", summary="检索法律法规条文，或列出文本（公开）")
@permissions.operation(permissions.PUBLIC)
def search_laws(request, params: Query[SearchParams]):
    filters = search.Filters(category=params.category, in_force=params.in_force)
    query = params.q.strip()
    if not query:
        rows = selectors.laws(filters)
        return {
            "q": "",
            "total": rows.count(),
            "articles": [],
            "laws": [_law(law) for law in rows[params.offset : params.offset + params.limit]],
        }
    try:
        result = search.search(query, filters, offset=params.offset, limit=params.limit)
    except search.QueryError as exc:
        raise DomainError(exc.code, str(exc)) from exc
    articles = [
        {
            "article_id": hit.article.pk,
            "law": _law(hit.article.law),
            "label": hit.article.label,
            "position": hit.article.position,
            "path": hit.article.path,
            "excerpt": hit.excerpt,
            "highlights": hit.spans,
        }
        for hit in selectors.hits(query, result.ids)
    ]
    return {"q": query, "total": result.total, "articles": articles, "laws": []}


@router.get("/{law_id}", response=LawDetailOut, auth=None, url_name="law", summary="一部法律法规的全文和结构（公开）")
@permissions.operation(permissions.PUBLIC)
def get_law(request, law_id: Id):
    law = selectors.law_or_404(law_id)
    structure = selectors.structure(law)
    first = {s.anchor: article.position for sections, article in structure.rows for s in sections}
    return {
        **_law(law),
        "history": law.history,
        "versions": [_law(v) for v in selectors.versions(law).only(*LAW_FIELDS)],
        "sections": [
            {"text": s.text, "depth": s.depth, "anchor": s.anchor, "first_article": first[s.anchor]}
            for s in structure.sections
        ],
        "articles": [
            {"position": a.position, "label": a.label, "number": a.number, "path": a.path, "text": a.text}
            for _, a in structure.rows
        ],
    }
