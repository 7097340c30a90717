"""Keeping the files checked with a record (evidence of a complaint, proof of a correction)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lvshi.core.uploads import CheckedUpload, store_upload


def store_files(model: Any, checked: Iterable[CheckedUpload], **parent: Any) -> list[Any]:
    """A row of *model* (a ``StoredFile``) for each checked upload, its file saved under a random name."""
    rows = []
    for item in checked:
        row = model(name=item.name, content_type=item.content_type, size=item.size, sha256=item.sha256, **parent)
        store_upload(row.file, item)
        row.save()
        rows.append(row)
    return rows
