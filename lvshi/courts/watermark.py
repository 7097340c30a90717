"""Pages of a case file as watermarked images (C11). A page of a volume's
PDF is rendered on the server (pypdfium2) and laid under a watermark that
names the reader — name, licence number and the time of viewing — tiled
across the page (Pillow). The watermark layer of a given size and text is
kept (per minute, so a reader turning pages reuses it); only the JPEG
leaves the server, never the PDF."""

from __future__ import annotations

import io
import threading
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

WIDTH = 1000  # pixels across a rendered page
QUALITY = 80
FONTS = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
# pdfium is not thread-safe: one rendering at a time per process.
_PDFIUM = threading.Lock()


class PdfError(ValueError):
    """The file is not a PDF pdfium can read."""


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in (getattr(settings, "WATERMARK_FONT", ""), *FONTS):
        if path and Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


@lru_cache(maxsize=16)
def layer(size: tuple[int, int], text: str) -> Image.Image:
    """The watermark of *text* tiled diagonally over an image of *size*, semi-transparent."""
    width, height = size
    font = _font(max(14, width // 40))
    box = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), text, font=font)
    tile_w, tile_h = int(box[2] - box[0]) + width // 10, int(box[3] - box[1]) + height // 12
    tile = Image.new("RGBA", (tile_w, tile_h), (0, 0, 0, 0))
    ImageDraw.Draw(tile).text((0, 0), text, font=font, fill=(160, 20, 20, 72))
    tile = tile.rotate(30, expand=True, resample=Image.Resampling.BICUBIC)
    out = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    # A grid of tiles that never overlap (every other row shifted by half a tile).
    for row, y in enumerate(range(0, height, tile.height)):
        for x in range(-(row % 2) * tile.width // 2, width, tile.width):
            out.paste(tile, (x, y))
    return out


def page_count(data: bytes) -> int:
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise PdfError(str(exc)) from exc
        try:
            return len(document)
        finally:
            document.close()


def render(data: str | bytes, index: int, text: str) -> bytes:
    """Page *index* (from 0) of the PDF *data* (its bytes or path) as a JPEG carrying *text*."""
    with _PDFIUM:
        document = pdfium.PdfDocument(data)
        try:
            page = document[index]
            scale = WIDTH / page.get_width()
            image = page.render(scale=scale).to_pil().convert("RGBA")
            page.close()
            if image.width != WIDTH:  # pdfium rounds the size up: one width for every page
                image = image.resize((WIDTH, round(image.height * WIDTH / image.width)))
        finally:
            document.close()
    image.alpha_composite(layer(image.size, text))
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=QUALITY, optimize=False)
    return out.getvalue()
