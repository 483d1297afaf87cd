"""Extraction from files made by real tools, and every kind of bad file costing one clear reason."""

import io
import zipfile

import pytest
from makers import FILLER, SALARY, filler, make_docx, make_html, make_pdf

from rag.ingest.extract import ExtractError, extract_bytes, extract_file, page_of


def test_two_column_pdf_reads_in_order_without_headers_footers_or_hyphens(tmp_path):
    pdf = make_pdf(
        tmp_path / "report.pdf", "Harbour annual report", [filler(7), [*filler(3, 1), SALARY, *filler(3, 2)], filler(2)]
    )
    extracted = extract_file(pdf)
    assert (extracted.kind, extracted.pages, extracted.title) == ("pdf", 3, "Harbour annual report")
    text = extracted.text
    assert text.count("\f") == 2
    assert "Harbour Gazette" not in text and "Page 1" not in text and "Page 3" not in text
    # Hyphenated line ends are rejoined: every word of the source is whole in the text.
    for sentence in FILLER:
        assert sentence in text.replace("\n", " ")
    start = text.index(SALARY)
    assert page_of(text, start) == 2 and page_of(text, 0) == 1 and page_of(text, len(text) - 1) == 3


def test_web_page_gives_the_article_not_its_menus_and_adverts(tmp_path):
    page = make_html(
        tmp_path / "crane.html", "Harbour crane arrives from Gdansk", [*filler(2), SALARY], date="2024-03-05"
    )
    extracted = extract_file(page)
    assert extracted.kind == "html" and extracted.title == "Harbour crane arrives from Gdansk"
    assert extracted.date == "2024-03-05"
    assert SALARY in extracted.text and FILLER[0] in extracted.text
    for junk in ("cookies", "mattresses", "weird trick", "Celebrity chef", "All rights reserved", "Business"):
        assert junk not in extracted.text


def test_word_file_keeps_headings_and_table_rows(tmp_path):
    table = [["Item", "Cost"], ["Roof", "2.4 million euros"], ["Windows", "0.3 million euros"]]
    docx = make_docx(tmp_path / "memo.docx", "Museum budget memo", [*filler(2), SALARY], table)
    extracted = extract_file(docx)
    assert (extracted.kind, extracted.title, extracted.date) == ("docx", "Museum budget memo", "2024-03-05")
    lines = extracted.text.splitlines()
    assert "Roof | 2.4 million euros" in lines and "What comes next" in lines and SALARY in lines


def epub(chapters: list[str], opf_extra: str = "", chapter_doctype: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
        zf.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">'
            '<rootfiles><rootfile full-path="OEBPS/book.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        items = "".join(
            f'<item id="c{i}" href="c{i}.xhtml" media-type="application/xhtml+xml"/>' for i in range(len(chapters))
        )
        spine = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
        zf.writestr(
            "OEBPS/book.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Ferry tales</dc:title>'
            f"<dc:date>2023-05-01</dc:date>{opf_extra}</metadata><manifest>{items}</manifest><spine>{spine}</spine></package>",
        )
        for i, text in enumerate(chapters):
            zf.writestr(
                f"OEBPS/c{i}.xhtml",
                f'<?xml version="1.0"?>{chapter_doctype}<html xmlns="http://www.w3.org/1999/xhtml"><body>'
                f"<h1>Chapter {i + 1}</h1><p>{text}</p></body></html>",
            )
    return buffer.getvalue()


def test_epub_chapters_in_reading_order():
    extracted = extract_bytes(epub([FILLER[0], SALARY]), ".epub")
    assert (extracted.title, extracted.date) == ("Ferry tales", "2023-05-01")
    assert extracted.text.index("Chapter 1") < extracted.text.index(FILLER[0]) < extracted.text.index(SALARY)


def scanned_pdf(path):
    """A page with pictures and no text layer, as a scanner makes it."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for y in range(100, 700, 40):
        c.rect(72, y, 400, 20, fill=1)
    c.showPage()
    c.save()
    return path.read_bytes()


def encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(make_pdf(tmp_path / "plain.pdf", "Secret", [filler(2)])))
    writer.encrypt(user_password="hunter2", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A .docx whose document.xml unpacks to 120 MB of spaces from about 120 kB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            block = b" " * 2**20
            for _ in range(120):
                fh.write(block)
    return buffer.getvalue()


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def entity_docx(tmp_path) -> bytes:
    good = make_docx(tmp_path / "good.docx", "Fine", filler(1)).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = LAUGHS.encode() + data.split(b"?>", 1)[1].replace(b"<w:t>", b"<w:t>&lol3;", 1)
            dst.writestr(item, data)
    return out.getvalue()


def bad_files(tmp_path) -> dict[str, tuple[bytes, str]]:
    """name -> (content, words the reason must contain)"""
    pdf = make_pdf(tmp_path / "whole.pdf", "Whole", [filler(6), filler(6, 1)]).read_bytes()
    docx = make_docx(tmp_path / "whole.docx", "Whole", filler(3)).read_bytes()
    return {
        "locked.pdf": (encrypted_pdf(tmp_path), "encrypted"),
        "scan.pdf": (scanned_pdf(tmp_path / "scan-src.pdf"), "no text layer"),
        "cut.pdf": (pdf[: len(pdf) // 3], "corrupt or truncated PDF"),
        "cut.docx": (docx[: len(docx) // 2], "corrupt or truncated"),
        "photo.html": (bytes(range(256)) * 64, "not a web page"),
        "bomb.docx": (zip_bomb(), "zip bomb"),
        "laughs.docx": (entity_docx(tmp_path), "entit"),
        "laughs.epub": (epub(["x"], chapter_doctype=LAUGHS[len('<?xml version="1.0"?>') :]), "entit"),
    }


def test_each_bad_file_gets_one_line_saying_why(tmp_path):
    for name, (data, reason) in bad_files(tmp_path).items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ExtractError) as info:
            extract_file(path)
        message = str(info.value)
        assert reason in message and "\n" not in message, (name, message)


def test_a_50_mb_web_page_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.html"
    with huge.open("wb") as fh:  # sparse: no disk is spent, and reading it would show
        fh.truncate(50 * 2**20)
    with pytest.raises(ExtractError, match="50 MB is over the 10 MB limit"):
        extract_file(huge)
