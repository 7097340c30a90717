"""Uploaded files, checked by what they hold (X8).

:func:`check_upload` reads the first bytes of an upload with libmagic and
accepts it only when the content is one of the allowed types (PDF, JPEG and
PNG unless the caller says otherwise): the file's name and the type the
browser claims are never trusted. It also refuses empty files and files over
``settings.UPLOAD_MAX_BYTES`` (10 MB by default), and computes the sha256.

:func:`store_upload` saves a checked file through the field's storage (local
disk by default, S3-compatible in production) under a random name; the
user's file name is kept only as data. :func:`lvshi.audit.downloads.serve_download` streams a stored
file back as an attachment and records the read in the audit log; callers
check access first.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from lvshi.core.errors import DomainError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
SNIFF_BYTES = 8192
NAME_MAX = 150

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
DOCUMENT_TYPES = (PDF, JPEG, PNG)
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
ACCEPT_DOCUMENTS = ".pdf,.jpg,.jpeg,.png"

# How a content type is named to the person uploading.
TYPE_NAMES = {
    PDF: "PDF",
    JPEG: "JPEG",
    PNG: "PNG",
    "application/zip": "ZIP 压缩包",
    "application/x-rar": "RAR 压缩包",
    "application/x-7z-compressed": "7z 压缩包",
    "text/html": "HTML 网页",
    "text/plain": "纯文本",
    "application/x-dosexec": "Windows 可执行程序",
    "application/vnd.microsoft.portable-executable": "Windows 可执行程序",
    "application/x-executable": "可执行程序",
    "application/msword": "Word 文档",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word 文档",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "image/heic": "HEIC 照片",
}


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed :func:`check_upload`."""

    file: UploadedFile
    name: str
    content_type: str
    size: int
    sha256: str

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "bin")


def max_upload_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


def type_name(content_type: str) -> str:
    return TYPE_NAMES.get(content_type, content_type)


def clean_name(name: str | None) -> str:
    """The user's file name without any folder, for display only."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = "".join(ch for ch in base if ch.isprintable())
    return base[-NAME_MAX:] or "upload"


def check_upload(
    upload: UploadedFile | None,
    *,
    label: str,
    allowed: Iterable[str] = DOCUMENT_TYPES,
    max_bytes: int | None = None,
) -> CheckedUpload:
    """Check *upload* by its content; *label* names it in the messages
    (e.g. "委托书"). Raises :class:`DomainError` and reads nothing more when
    the file is missing, empty, too large or of another type."""
    allowed = tuple(allowed)
    limit = max_bytes if max_bytes is not None else max_upload_bytes()
    if upload is None:
        raise DomainError("file_missing", _("请上传%(label)s。") % {"label": label})
    name = clean_name(upload.name)
    size = upload.size or 0
    if size <= 0:
        raise DomainError(
            "file_empty",
            _("%(label)s“%(name)s”是空文件（0字节），请重新扫描或选择文件后上传。") % {"label": label, "name": name},
        )
    if size > limit:
        raise DomainError(
            "file_too_large",
            _("%(label)s“%(name)s”大小为%(size)s，超过%(limit)s的上限。请压缩图片或分页扫描后重新上传。")
            % {"label": label, "name": name, "size": _size_text(size), "limit": _size_text(limit)},
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    content_type = magic.from_buffer(head, mime=True)
    if content_type not in allowed:
        raise DomainError(
            "file_type",
            _("%(label)s“%(name)s”的内容是%(got)s，不是可接受的格式。请上传%(allowed)s格式的文件。")
            % {
                "label": label,
                "name": name,
                "got": type_name(content_type),
                "allowed": "、".join(type_name(t) for t in allowed),
            },
            details={"received": content_type, "allowed": list(allowed)},
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(file=upload, name=name, content_type=content_type, size=size, sha256=digest.hexdigest())


def store_upload(field_file: FieldFile, checked: CheckedUpload) -> None:
    """Save *checked* into *field_file* (its storage and ``upload_to``) under a
    random name. The model instance is not saved."""
    checked.file.seek(0)
    field_file.save(f"{uuid.uuid4().hex}.{checked.extension}", checked.file, save=False)
