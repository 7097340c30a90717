"""Stored files streamed to the people allowed to read them: a sensitive
read, so each download writes its audit event."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from lvshi.core.actor import Actor

from .services import audit_record


def serve_download(
    field_file: FieldFile, *, name: str, content_type: str, audit_action: str, obj, actor: Actor
) -> FileResponse:
    """Stream a stored file as an attachment, after the caller has checked
    access; the read is recorded in the audit log."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("文件已不存在，请联系上传人重新上传。")) from exc
    audit_record(action=audit_action, actor=actor, obj=obj, message=name)
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
