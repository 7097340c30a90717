"""Small valid documents for the demo data's binding pre-checks: a one-page
PDF and a PNG that pass the upload checks (content sniffing, sizes)."""

from __future__ import annotations

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from .models import DocumentKind


def demo_pdf(title: str = "Demo") -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<<>>>>",
    ]
    stream = f"BT /F1 12 Tf 72 770 Td ({title}) Tj ET".encode()
    objects.append(b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def demo_png() -> bytes:
    """An 8×8 grey PNG."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\xc0" * 8 for _ in range(8)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def documents(*, legal_aid: bool = False) -> dict[str, SimpleUploadedFile]:
    docs = {
        DocumentKind.POWER_OF_ATTORNEY: SimpleUploadedFile("委托书.pdf", demo_pdf("Power of attorney")),
        DocumentKind.LICENCE: SimpleUploadedFile("执业证.png", demo_png()),
        DocumentKind.FIRM_LETTER: SimpleUploadedFile("律师事务所函.pdf", demo_pdf("Firm letter")),
    }
    if legal_aid:
        docs[DocumentKind.LEGAL_AID_LETTER] = SimpleUploadedFile("法律援助指派函.pdf", demo_pdf("Legal aid"))
    return docs
