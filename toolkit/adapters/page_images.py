"""A document's pages as pictures for the workbench's preview: PDF pages drawn with PDFium (pypdfium2, a wheel on
Windows and Linux; no other program needed), and, where no PDF can be made, the document's text (python-docx)."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from toolkit.adapters.atomic import atomic_output

PREVIEW_DPI = 96  # an A4 page 794 × 1123 pixels: readable on a 1366 × 768 screen


def pdf_pages(pdf: Path, out_dir: Path, *, dpi: int = PREVIEW_DPI, limit: int = 60) -> list[Path]:
    """Each page of ``pdf`` as a PNG in ``out_dir`` (页1.png, 页2.png, ...), at most ``limit`` pages."""
    import pypdfium2  # imported here: only the preview pays for it

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        out = []
        for index in range(min(len(document), limit)):
            image = document[index].render(scale=dpi / 72).to_pil()
            target = Path(out_dir) / f"页{index + 1}.png"
            with atomic_output(target) as temp:
                image.save(temp, format="PNG", optimize=True)
            out.append(target)
        return out
    finally:
        document.close()


def page_count(pdf: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def docx_text(path: Path) -> list[str]:
    """The paragraphs of a .docx in reading order, tables as lines of cells joined by tabs."""
    document = Document(str(path))
    lines = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = ["".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t"))
                             for cell in row if cell.tag.endswith("}tc")]
                    lines.append("\t".join(cells))
    return lines
