"""Small real files of each kind, for upload tests."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 100 + b"\xff\xd9"
HTML = b"<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + struct.pack("<I", 64)
EXE += b"PE\x00\x00" + b"\x00" * 200


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    + _chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00"))
    + _chunk(b"IEND", b"")
)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("委托书.txt", "不是PDF")
    return buffer.getvalue()


ZIP = _zip()


def upload(content: bytes = PDF, name: str = "委托书.pdf", content_type: str = "application/pdf"):
    """An upload as Django hands it to a view (the browser's type is what it claims)."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_of_size(size: int) -> bytes:
    """A PDF-looking file of exactly *size* bytes."""
    assert size >= len(PDF)
    return PDF + b"%" * (size - len(PDF))
