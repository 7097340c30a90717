"""Access rules of the casework pages and API after filing (see tests/access.py)."""

from __future__ import annotations

from tests.access import API_TOKEN, LOGIN, Access

NOT_LAWYER = ("officer", "judge", "clerk", "bureau_clerk")
NOT_COURT = ("lawyer", "officer", "bureau_clerk")
NOT_CLERK = ("lawyer", "officer", "judge", "bureau_clerk")
NOT_JUDGE = ("lawyer", "officer", "clerk", "bureau_clerk")


def _of(make, key: str, *, attr: str = "pk", foreign: bool = False, lawyer: str = "lawyer", **extra):
    """URL arguments of an object *make* builds for world's *lawyer* (in a foreign court if asked)."""

    def build(world):
        obj = make(world, getattr(world, lawyer), foreign=foreign)
        obj = obj[0] if isinstance(obj, tuple) else obj
        return {key: getattr(obj, attr), **{k: v(obj) for k, v in extra.items()}}

    return build


def _lawyer_pair(make, key, attr="pk", **extra):
    return {
        "persona": "lawyer",
        "mine": _of(make, key, attr=attr, **extra),
        "theirs": _of(make, key, attr=attr, lawyer="other_lawyer", **extra),
        "denied": NOT_LAWYER,
    }


def _staff_pair(make, key, persona, denied, attr="pk"):
    return {
        "persona": persona,
        "mine": _of(make, key, attr=attr),
        "theirs": _of(make, key, attr=attr, foreign=True),
        "denied": denied,
    }


def _case_of(world, lawyer, foreign=False):
    from .casework_factories import staff_case

    return staff_case(world, lawyer, foreign=foreign)[0]


def _material(world, lawyer, foreign=False):
    from .casework_factories import material

    return material(world, lawyer, foreign=foreign)


def _served(world, lawyer, foreign=False):
    from .casework_factories import served

    return served(world, lawyer, foreign=foreign)


def _signed(world, lawyer, foreign=False):
    from django.utils import timezone

    from ..models import ServiceStatus
    from .casework_factories import served

    doc = served(world, lawyer, foreign=foreign)
    type(doc).objects.filter(pk=doc.pk).update(status=ServiceStatus.SIGNED, signed_at=timezone.now())
    return doc


def _exchange(world, lawyer, foreign=False):
    from .casework_factories import exchange

    return exchange(world, lawyer, foreign=foreign)


def _exchange_ready(world, lawyer, foreign=False):
    """An exchange with every opinion given, ready to submit."""
    from lvshi.core.actor import Actor

    from ..models import ExchangeRecipient
    from ..services import exchanges
    from .casework_factories import exchange

    ex = exchange(world, lawyer, foreign=foreign)
    recipient = ExchangeRecipient.objects.get(exchange=ex, lawyer=lawyer)
    stances = {"authenticity": "agree", "legality": "agree", "relevance": "partly"}
    exchanges.opinions_save(recipient=recipient, actor=Actor(lawyer), opinions={i.pk: stances for i in ex.items.all()})
    return ex


def _served_with_key(world, lawyer, foreign=False):
    """A served document whose live key is 123456."""
    from lvshi.core.actor import Actor

    from ..models import SigningKey
    from ..services import service
    from .casework_factories import served

    doc = served(world, lawyer, foreign=foreign)
    service.key_send(document=doc, actor=Actor(lawyer))
    SigningKey.objects.filter(document=doc).update(code_hash=service._hash(doc, "123456"))
    return doc


def _thread(world, lawyer, foreign=False):
    from .casework_factories import thread

    return thread(world, lawyer, foreign=foreign)


def _attachment(world, lawyer, foreign=False):
    from lvshi.core.actor import Actor

    from ..services import messages
    from .casework_factories import thread
    from .factories import pdf

    t = thread(world, lawyer, foreign=foreign)
    return messages.thread_post(thread=t, actor=Actor(lawyer), text="补充", uploads=[pdf("a.pdf")]).attachments.get()


def _review(world, lawyer, foreign=False):
    from .casework_factories import review

    return review(world, lawyer, foreign=foreign, pages=1)


def _pending_review(world, lawyer, foreign=False):
    from .casework_factories import review

    return review(world, lawyer, foreign=foreign, approved=False, pages=1)


_ITEM = {"item_id": lambda ex: ex.items.first().pk}
_PAGE = {"volume_id": lambda r: r.volumes.first().pk, "number": lambda r: 1}

PAGES = {
    "courts:materials": Access(LOGIN, **_lawyer_pair(_case_of, "case_id")),
    "courts:materials_delete": Access(LOGIN, method="post", denied=NOT_LAWYER),
    "courts:documents": Access(LOGIN, denied=NOT_LAWYER),
    "courts:document": Access(LOGIN, **_lawyer_pair(_served, "document_id")),
    "courts:document_key": Access(LOGIN, method="post", **_lawyer_pair(_served, "document_id")),
    "courts:document_file": Access(LOGIN, **_lawyer_pair(_signed, "document_id")),
    "courts:document_proof": Access(
        LOGIN,
        persona="lawyer",
        mine=_of(_signed, "document_id"),
        theirs=_of(_signed, "document_id", lawyer="other_lawyer"),
    ),
    "courts:exchanges": Access(LOGIN, denied=NOT_LAWYER),
    "courts:exchange": Access(LOGIN, **_lawyer_pair(_exchange, "exchange_id")),
    "courts:exchange_material": Access(LOGIN, **_lawyer_pair(_exchange, "exchange_id", **_ITEM)),
    "courts:threads": Access(LOGIN, denied=NOT_LAWYER),
    "courts:thread_new": Access(LOGIN, denied=NOT_LAWYER),
    "courts:thread": Access(LOGIN, **_lawyer_pair(_thread, "thread_id")),
    "courts:attachment": Access(
        LOGIN,
        persona="lawyer",
        mine=_of(_attachment, "attachment_id"),
        theirs=_of(_attachment, "attachment_id", lawyer="other_lawyer"),
    ),
    "courts:file_reviews": Access(LOGIN, denied=NOT_LAWYER),
    "courts:file_review": Access(LOGIN, **_lawyer_pair(_review, "review_id")),
    "courts:file_review_page": Access(LOGIN, **_lawyer_pair(_review, "review_id", **_PAGE)),
    "courts:court_materials": Access(LOGIN, denied=NOT_CLERK),
    "courts:court_material_file": Access(LOGIN, **_staff_pair(_material, "material_id", "clerk", NOT_COURT)),
    "courts:serve": Access(LOGIN, **_staff_pair(_case_of, "case_id", "clerk", NOT_CLERK)),
    "courts:court_documents": Access(LOGIN, denied=NOT_CLERK),
    "courts:exchange_new": Access(LOGIN, **_staff_pair(_case_of, "case_id", "judge", NOT_JUDGE)),
    "courts:court_exchanges": Access(LOGIN, denied=NOT_JUDGE),
    "courts:court_exchange": Access(LOGIN, **_staff_pair(_exchange, "exchange_id", "judge", NOT_JUDGE)),
    "courts:exchange_pdf": Access(LOGIN, **_staff_pair(_exchange, "exchange_id", "judge", NOT_JUDGE)),
    "courts:court_threads": Access(LOGIN, denied=NOT_JUDGE),
    "courts:court_thread": Access(LOGIN, **_staff_pair(_thread, "thread_id", "judge", NOT_JUDGE)),
    "courts:court_reviews": Access(LOGIN, denied=NOT_JUDGE),
    "courts:court_review": Access(LOGIN, **_staff_pair(_pending_review, "review_id", "judge", NOT_JUDGE)),
    "courts:volumes": Access(LOGIN, **_staff_pair(_case_of, "case_id", "clerk", NOT_COURT)),
}


def _material_body(world):
    from .factories import pdf

    return {"title": "补充证据", "files": pdf("evidence.pdf")}


def _thread_body(world):
    from .casework_factories import staff_case
    from .factories import pdf

    case = staff_case(world, world.lawyer)[0]
    return {"case_id": case.pk, "title": "关于延期", "text": "申请延期举证。", "files": pdf("a.pdf")}


def _reply_body(world):
    from .factories import pdf

    return {"text": "补充说明", "files": pdf("b.pdf")}


def _review_body(world):
    from .casework_factories import staff_case

    return {"case_id": staff_case(world, world.lawyer)[0].pk, "reason": "准备庭审"}


def _opinions_body(world):
    from ..models import ExchangeItem

    item = ExchangeItem.objects.filter(exchange__recipients__lawyer=world.lawyer).order_by("pk").last()
    return {"opinions": [{"item_id": item.pk if item else 1, "authenticity": "agree"}]}


API = {
    "GET /api/v1/courts/cases/{case_id}/materials": Access(API_TOKEN, **_lawyer_pair(_case_of, "case_id")),
    "POST /api/v1/courts/cases/{case_id}/materials": Access(
        API_TOKEN, body=_material_body, **_lawyer_pair(_case_of, "case_id")
    ),
    "POST /api/v1/courts/materials/delete": Access(API_TOKEN, body=lambda world: {"ids": [999999]}, denied=NOT_LAWYER),
    "GET /api/v1/courts/evidence-exchanges": Access(API_TOKEN, denied=NOT_LAWYER),
    "GET /api/v1/courts/evidence-exchanges/{exchange_id}": Access(API_TOKEN, **_lawyer_pair(_exchange, "exchange_id")),
    "PUT /api/v1/courts/evidence-exchanges/{exchange_id}/opinions": Access(
        API_TOKEN, body=_opinions_body, **_lawyer_pair(_exchange, "exchange_id")
    ),
    "POST /api/v1/courts/evidence-exchanges/{exchange_id}/submit": Access(
        API_TOKEN, **_lawyer_pair(_exchange_ready, "exchange_id")
    ),
    "GET /api/v1/courts/documents": Access(API_TOKEN, denied=NOT_LAWYER),
    "POST /api/v1/courts/documents/{document_id}/key": Access(API_TOKEN, **_lawyer_pair(_served, "document_id")),
    "POST /api/v1/courts/documents/{document_id}/sign": Access(
        API_TOKEN, body=lambda world: {"key": "123456"}, **_lawyer_pair(_served_with_key, "document_id")
    ),
    "GET /api/v1/courts/documents/{document_id}/file": Access(API_TOKEN, **_lawyer_pair(_signed, "document_id")),
    "GET /api/v1/courts/documents/{document_id}/proof": Access(API_TOKEN, **_lawyer_pair(_signed, "document_id")),
    "GET /api/v1/courts/evidence-exchanges/{exchange_id}/items/{item_id}/file": Access(
        API_TOKEN, **_lawyer_pair(_exchange, "exchange_id", **_ITEM)
    ),
    "GET /api/v1/courts/attachments/{attachment_id}": Access(API_TOKEN, **_lawyer_pair(_attachment, "attachment_id")),
    "GET /api/v1/courts/file-reviews/{review_id}": Access(API_TOKEN, **_lawyer_pair(_review, "review_id")),
    "GET /api/v1/courts/messages": Access(API_TOKEN, denied=NOT_LAWYER),
    "POST /api/v1/courts/messages": Access(API_TOKEN, body=_thread_body, denied=NOT_LAWYER),
    "GET /api/v1/courts/messages/{thread_id}": Access(API_TOKEN, **_lawyer_pair(_thread, "thread_id")),
    "POST /api/v1/courts/messages/{thread_id}/replies": Access(
        API_TOKEN, body=_reply_body, **_lawyer_pair(_thread, "thread_id")
    ),
    "GET /api/v1/courts/file-reviews": Access(API_TOKEN, denied=NOT_LAWYER),
    "POST /api/v1/courts/file-reviews": Access(API_TOKEN, body=_review_body, denied=NOT_LAWYER),
    "GET /api/v1/courts/file-reviews/{review_id}/volumes/{volume_id}/pages/{page}": Access(
        API_TOKEN, **_lawyer_pair(_review, "review_id", volume_id=lambda r: r.volumes.first().pk, page=lambda r: 1)
    ),
}
