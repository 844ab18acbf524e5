"""Writers for a read document: archml JSON, plain text and hOCR."""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from typing import Literal

from archml import __version__
from archml.document import Box, Document

OutputFormat = Literal["json", "txt", "hocr"]


def to_json(document: Document) -> str:
    return json.dumps(document.export(), ensure_ascii=False, indent=1)


def to_text(document: Document) -> str:
    """Reading-order text, pages separated by a form feed."""
    return "\f".join(page.text for page in document.pages) + "\n"


def _bbox(box: Box) -> str:
    return "bbox {} {} {} {}".format(*(round(v) for v in box))


def to_hocr(document: Document) -> str:
    """hOCR 1.2, readable by hocr-tools, OCRmyPDF's hocrtransform and Archive viewers."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"'
        ' "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="vi" lang="vi"><head>',
        "<title></title>",
        '<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>',
        f'<meta name="ocr-system" content="archml {__version__}"/>',
        '<meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_line ocrx_word"/>',
        "</head><body>",
    ]
    source = escape(document.source.path or "", quote=True)
    for page in document.pages:
        title = (f'image "{source}"; ppageno {page.index}; '
                 f"{_bbox(Box(0, 0, page.width, page.height))}; scan_res {round(page.source.dpi)}")
        out.append(f'<div class="ocr_page" id="page_{page.index + 1}" title=\'{title}\'>')
        for b, block in enumerate(page.blocks, 1):
            zone = f' data-zone="{block.zone.value}"' if block.zone else ""
            out.append(f'<div class="ocr_carea" id="block_{page.index + 1}_{b}" '
                       f'title="{_bbox(block.box)}"{zone}>')
            for ln, line in enumerate(block.lines, 1):
                out.append(f'<span class="ocr_line" id="line_{page.index + 1}_{b}_{ln}" '
                           f'title="{_bbox(line.box)}">')
                for word in line.words:
                    conf = ("" if word.confidence is None
                            else f"; x_wconf {round(100 * word.confidence)}")
                    out.append(f'<span class="ocrx_word" title="{_bbox(word.box)}{conf}">'
                               f"{escape(word.text)}</span>")
                out.append("</span>")
            out.append("</div>")
        out.append("</div>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


WRITERS: dict[str, Callable[[Document], str]] = {"json": to_json, "txt": to_text, "hocr": to_hocr}
SUFFIXES: dict[str, str] = {"json": ".json", "txt": ".txt", "hocr": ".hocr"}
