"""Contact the judge (C10): a lawyer of a case writes to its judge (a title,
a text, files); the judge replies; the conversation is a thread. A thread
waits from the lawyer's first unanswered message until the judge replies."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, NotFound
from lvshi.core.text import clean_text
from lvshi.core.uploads import check_upload, store_upload
from lvshi.notify.services import notify_user
from lvshi.orgs.permissions import require

from ..models import Attachment, Case, CaseLink, Message, Thread

MAX_ATTACHMENTS = 5


def _add(thread: Thread, actor: Actor, text: str, uploads: Sequence[Any], *, from_court: bool) -> Message:
    text = clean_text(text, field=(Message, "text"), required=_("请填写留言内容。"))
    uploads = [u for u in uploads if u is not None]
    if len(uploads) > MAX_ATTACHMENTS:
        raise DomainError("too_many_files", _("每条留言最多附%(n)d个文件。") % {"n": MAX_ATTACHMENTS})
    checked = [check_upload(u, label=_("附件")) for u in uploads]
    message = Message.objects.create(thread=thread, author=actor.user, from_court=from_court, text=text)
    for c in checked:
        row = Attachment(message=message, name=c.name, content_type=c.content_type, size=c.size, sha256=c.sha256)
        store_upload(row.file, c)
        row.save()
    return message


def thread_start(*, case: Case, actor: Actor, title: str, text: str, uploads: Sequence[Any] = ()) -> Thread:
    require(actor.user, "courts.file")
    if not CaseLink.objects.filter(case=case, lawyer=actor.user).exists():
        raise NotFound()
    title = clean_text(title, field=(Thread, "title"), required=_("请填写留言标题。"))
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(case=case, lawyer=actor.user, title=title, last_at=now, waiting_since=now)
        _add(thread, actor, text, list(uploads), from_court=False)
        audit_record(action="courts.message_start", actor=actor, obj=thread, organisation=case.court.organisation)
        notify_user(
            case.judge,
            kind="message_new",
            context={"lawyer": actor.user.name, "number": case.number, "title": title},
            channels=("inbox",),
            url=reverse("courts:court_thread", args=[thread.pk]),
        )
    return thread


def thread_post(*, thread: Thread, actor: Actor, text: str, uploads: Sequence[Any] = ()) -> Message:
    """A message in the thread: the lawyer's own thread, or the judge of its case replying."""
    case = thread.case
    from_court = thread.lawyer_id != actor.user.pk
    if from_court:
        require(actor.user, "courts.answer_message", thread)
    else:
        require(actor.user, "courts.file")
    now = timezone.now()
    with transaction.atomic():
        message = _add(thread, actor, text, list(uploads), from_court=from_court)
        if from_court:
            Thread.objects.filter(pk=thread.pk).update(last_at=now, waiting_since=None)
            notify_user(
                thread.lawyer,
                kind="message_reply",
                context={"number": case.number, "title": thread.title},
                url=reverse("courts:thread", args=[thread.pk]),
            )
        else:
            Thread.objects.filter(pk=thread.pk).update(last_at=now)
            Thread.objects.filter(pk=thread.pk, waiting_since__isnull=True).update(waiting_since=now)
        audit_record(
            action="courts.message_reply" if from_court else "courts.message_post",
            actor=actor,
            obj=thread,
            organisation=case.court.organisation,
        )
    thread.refresh_from_db()
    return message
