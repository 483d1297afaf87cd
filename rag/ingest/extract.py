"""Extract: the text of a PDF, web page, Word file or EPUB, the one way files become text, for
the corpus folder and the chat's uploads alike.

What offsets mean: the extracted text is stored with the index (keyed by the file's sha256) and
every citation is `text[start:end]` of that stored text. For a PDF the text is its pages'
text joined with form feeds ("\\f"): the page of an offset is 1 + the form feeds before it.
Each page's text is cleaned before it is joined (running headers and footers and bare page
numbers dropped, lines of a paragraph joined, words hyphenated at a line end rejoined), so a
quote reads as the sentence does, not as the typesetter broke it.

Nothing in a file is executed or fetched: HTML is parsed offline (no remote images or links
are followed), XML in DOCX/EPUB is parsed with DTDs and entities refused, zip members are read
with a byte budget (a zip bomb stops at the budget), and each file has size, page and time
limits (see LIMITS in the README)."""

from __future__ import annotations

import io
import itertools
import logging
import re
import statistics
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import CorpusError

TEXT_SUFFIXES = (".txt", ".md")
EXTRACTED_SUFFIXES = (".pdf", ".html", ".htm", ".docx", ".epub")
SUFFIXES = TEXT_SUFFIXES + EXTRACTED_SUFFIXES
# Bump when the text or metadata extracted from the same file changes: stored texts of another
# version are extracted again (their offsets would no longer match new chunks) and an index
# built before rebuilds, reusing the vectors of every chunk whose text, title and date are unchanged.
EXTRACTOR_VERSION = 1

# Limits per file. One article is kilobytes of text; tens of megabytes of text would take the
# index an hour to embed on a laptop. PDFs and Word files carry images, hence their larger cap.
MAX_TEXT_BYTES = 10 * 1024 * 1024  # a .txt/.md file, an HTML page, or any file's extracted text
MAX_FILE_BYTES = {".pdf": 100 * 1024 * 1024, ".docx": 50 * 1024 * 1024, ".epub": 50 * 1024 * 1024}
MAX_PAGES = 2000  # a PDF of more pages is a book scan or a data dump, not an article
MAX_SECONDS = 60.0  # extraction time per file, checked between pages and chapters
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # all XML read from one DOCX/EPUB together
MAX_EPUB_CHAPTERS = 2000

PAGE_BREAK = "\f"
_JUNK_TITLES = {"untitled", "anonymous", "document", "title", "microsoft word"}


class ExtractError(CorpusError):
    """Why a file has no usable text, in a few words (the caller names the file)."""


@dataclass(frozen=True)
class Extracted:
    text: str  # what every offset refers to; for a PDF, pages joined by PAGE_BREAK
    kind: str  # "text", "pdf", "html", "docx" or "epub"
    title: str = ""  # from the file's own metadata ("" when it has none)
    date: str | None = None  # ISO YYYY-MM-DD from the file's own metadata
    pages: int = 0  # number of pages of a PDF; 0 for formats without pages


def page_of(text: str, offset: int) -> int:
    """The 1-based page of a character offset in a PDF's extracted text."""
    return text.count(PAGE_BREAK, 0, offset) + 1


def check_size(size: int, suffix: str) -> None:
    limit = MAX_FILE_BYTES.get(suffix, MAX_TEXT_BYTES)
    if size > limit:
        raise ExtractError(f"{size / 2**20:.0f} MB is over the {limit // 2**20} MB limit for a {suffix} file")


def extract_file(path: Path) -> Extracted:
    """The text of a corpus or uploaded file, by its suffix; ExtractError says why not."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ExtractError(f"{suffix or 'a file without a suffix'} is not a format the index reads")
    try:
        check_size(path.stat().st_size, suffix)
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"cannot read ({exc.strerror or exc})") from None
    return extract_bytes(data, suffix)


def extract_bytes(data: bytes, suffix: str) -> Extracted:
    check_size(len(data), suffix)
    if suffix in TEXT_SUFFIXES:
        extracted = _plain_text(data)
    elif suffix == ".pdf":
        extracted = _pdf(data)
    elif suffix in (".html", ".htm"):
        extracted = _html(data)
    elif suffix == ".docx":
        extracted = _docx(data)
    else:
        extracted = _epub(data)
    if not extracted.text.replace(PAGE_BREAK, "").strip():
        raise ExtractError("empty" if extracted.kind == "text" else "no text found in it")
    if len(extracted.text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise ExtractError(f"its text is over the {MAX_TEXT_BYTES // 2**20} MB limit for one document")
    return extracted


def _plain_text(data: bytes) -> Extracted:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ExtractError("not UTF-8 text") from None
    if "\x00" in text:
        raise ExtractError("binary content, not text")
    return Extracted(text.replace("\r\n", "\n").replace("\r", "\n"), "text")


def _clean_title(title: Any) -> str:
    title = " ".join(str(title or "").split())
    if title.lower() in _JUNK_TITLES or title.lower().startswith("microsoft word -"):
        return ""
    return title


def _iso_date(value: Any) -> str | None:
    if m := re.match(r"\D*(\d{4})-?(\d{2})-?(\d{2})", str(value or "")):
        return f"{m[1]}-{m[2]}-{m[3]}"
    return None


# ------------------------------------------------------------------ PDF


def _pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader

    # pypdf reports every repaired cross-reference on the logger; the outcome is what counts.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    deadline = time.monotonic() + MAX_SECONDS
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise ExtractError("encrypted PDF (it needs a password)")
        if len(reader.pages) > MAX_PAGES:
            raise ExtractError(f"{len(reader.pages)} pages is over the {MAX_PAGES}-page limit")
        pages = []
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            if time.monotonic() > deadline:
                raise ExtractError(f"took over {MAX_SECONDS:.0f} s to read (limit per file)")
        info: Any = reader.metadata or {}
    except ExtractError:
        raise
    except Exception as exc:  # any failure of the parser on a broken file is that file's, not the build's
        raise ExtractError(f"corrupt or truncated PDF ({type(exc).__name__})") from None
    if not any(p.strip() for p in pages):
        raise ExtractError("no text layer (a scanned PDF? run OCR on it first)")
    text = PAGE_BREAK.join(clean_pages(pages))
    date = _iso_date(getattr(info, "creation_date_raw", None))
    return Extracted(text, "pdf", _clean_title(getattr(info, "title", None)), date, len(pages))


def _opens_without_password(reader: Any) -> bool:
    """Encrypted only against editing or printing (an empty user password) is readable."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an unsupported cipher is as closed as a password
        return False


_PAGE_NUMBER = re.compile(r"^[-–—\s]*(page\s*)?\d+(\s*(of|/)\s*\d+)?[-–—\s]*$", re.IGNORECASE)
_EDGE_LINES = 3  # running headers and footers sit within the first and last lines of a page


def clean_pages(pages: list[str]) -> list[str]:
    """Each page's text without running headers/footers, as paragraphs of joined lines."""
    lines = [[ln.strip() for ln in page.splitlines() if ln.strip()] for page in pages]
    running = _running_lines(lines)
    hyphenated = {w for page in lines for ln in page for w in re.findall(r"\w+-\w+", ln)}
    cleaned = []
    for page in lines:
        edge = set(range(_EDGE_LINES)) | set(range(len(page) - _EDGE_LINES, len(page)))
        body = [
            ln for i, ln in enumerate(page) if not (i in edge and (_PAGE_NUMBER.match(ln) or _line_key(ln) in running))
        ]
        cleaned.append(_reflow(body, hyphenated))
    return cleaned


def _line_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines (numbers aside) at the top or bottom of at least half the pages, two at least."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({_line_key(ln) for ln in page[:_EDGE_LINES] + page[-_EDGE_LINES:]})
    return {key for key, n in seen.items() if n >= max(2, len(pages) / 2)}


def _reflow(lines: list[str], hyphenated: set[str]) -> str:
    """Lines of a paragraph joined by spaces; a line clearly shorter than the page's usual
    line ends its paragraph (the last line of a paragraph, a heading)."""
    if not lines:
        return ""
    full = statistics.median([len(ln) for ln in lines if len(ln) > 20] or [80])
    out = lines[0]
    for prev, line in itertools.pairwise(lines):
        if len(prev) < 0.7 * full:
            out += "\n" + line
        elif re.search(r"[^\W\d_]-$", prev) and line[:1].islower():
            head, tail = re.search(r"(\w*)-$", prev), re.match(r"\w*", line)
            word = f"{head[1] if head else ''}-{tail[0] if tail else ''}"
            # "well-known" written whole elsewhere keeps its hyphen; "exam-ple" is one word
            out = out + line if word in hyphenated else out[:-1] + line
        else:
            out += " " + line
    return out


# ------------------------------------------------------------------ HTML


def _html(data: bytes) -> Extracted:
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    head = data[:65536]
    if b"\x00" in head or not re.search(rb"<\s*(html|head|body|p|div|article|title|!doctype)\b", head, re.I):
        raise ExtractError("not a web page (binary content or no HTML in it)")
    page = data.decode("utf-8", errors="replace")
    # The article's text, not its menus, cookie banners, adverts and related-links lists.
    body = trafilatura.extract(page, include_comments=False, include_tables=True, with_metadata=False)
    if not body:
        raise ExtractError("no article text found in the page")
    meta = trafilatura.extract_metadata(page)
    title = _clean_title(meta.title) if meta is not None else ""
    date = _iso_date(meta.date) if meta is not None else None
    return Extracted(body.strip() + "\n", "html", title, date)


# ------------------------------------------------------------------ zipped XML: DOCX, EPUB


class _Zip:
    """A zip archive read with one byte budget for everything taken out of it."""

    def __init__(self, data: bytes, kind: str) -> None:
        self.kind = kind
        self.budget = MAX_UNZIPPED_BYTES
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError):
            raise ExtractError(f"corrupt or truncated {kind} (not a readable zip archive)") from None

    def names(self) -> set[str]:
        return set(self.zf.namelist())

    def read(self, name: str) -> bytes:
        try:
            with self.zf.open(name) as fh:
                data = fh.read(self.budget + 1)
        except KeyError:
            raise ExtractError(f"not a {self.kind}: {name} is missing") from None
        except RuntimeError:  # zipfile: "File ... is encrypted, password required"
            raise ExtractError(f"encrypted {self.kind}") from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise ExtractError(f"corrupt or truncated {self.kind} ({type(exc).__name__})") from None
        if len(data) > self.budget:
            raise ExtractError(f"unpacks to over {MAX_UNZIPPED_BYTES // 2**20} MB (a zip bomb?)")
        self.budget -= len(data)
        return data

    def xml(self, name: str) -> Any:
        """Parsed XML; DTDs (and so entity definitions: "billion laughs", external files) refused."""
        from xml.etree.ElementTree import ParseError

        from defusedxml import DefusedXmlException
        from defusedxml.ElementTree import fromstring

        try:
            return fromstring(self.read(name), forbid_dtd=True)
        except DefusedXmlException:
            raise ExtractError(f"{name} declares XML entities or a DTD (refused: entity expansion)") from None
        except ParseError:
            raise ExtractError(f"corrupt {self.kind}: {name} is not well-formed XML") from None


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(data: bytes) -> Extracted:
    """Paragraphs and table rows in document order; a table row is one line, cells split by " | "."""
    archive = _Zip(data, "Word file")
    body = archive.xml("word/document.xml").find(f"{_W}body")
    blocks: list[str] = []
    heading = ""
    for element in [] if body is None else list(body):
        if element.tag == f"{_W}p":
            text = _docx_paragraph(element)
            style = element.find(f"{_W}pPr/{_W}pStyle")
            if text and not heading and style is not None and re.match(r"(Title|Heading)", style.get(f"{_W}val", "")):
                heading = text
            blocks.append(text)
        elif element.tag == f"{_W}tbl":
            for row in element.iter(f"{_W}tr"):
                cells = [" ".join(_docx_paragraph(p) for p in tc.iter(f"{_W}p")).strip() for tc in row.iter(f"{_W}tc")]
                blocks.append(" | ".join(cells))
    text = "\n\n".join(b for b in blocks if b.strip()) + "\n"
    title, date = "", None
    if "docProps/core.xml" in archive.names():
        for element in archive.xml("docProps/core.xml"):
            name = _local(element.tag)
            if name == "title":
                title = _clean_title(element.text)
            elif name in ("created", "date") and not date:
                date = _iso_date(element.text)
    return Extracted(text, "docx", title or heading, date)


def _docx_paragraph(paragraph: Any) -> str:
    parts = []
    for node in paragraph.iter():
        tag = node.tag
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
    return "".join(parts).strip()


_EPUB_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dt", "dd", "tr"}


def _epub(data: bytes) -> Extracted:
    """Chapters in reading (spine) order, one line per paragraph."""
    archive = _Zip(data, "EPUB")
    rootfile = next((e for e in archive.xml("META-INF/container.xml").iter() if _local(e.tag) == "rootfile"), None)
    if rootfile is None or not rootfile.get("full-path"):
        raise ExtractError("not an EPUB: no package file named in META-INF/container.xml")
    opf_path = PurePosixPath(rootfile.get("full-path"))
    opf = archive.xml(str(opf_path))
    items = {e.get("id"): e.get("href", "") for e in opf.iter() if _local(e.tag) == "item"}
    spine = [items.get(e.get("idref"), "") for e in opf.iter() if _local(e.tag) == "itemref"]
    title = next((_clean_title(e.text) for e in opf.iter() if _local(e.tag) == "title"), "")
    date = next((_iso_date(e.text) for e in opf.iter() if _local(e.tag) == "date"), None)
    deadline = time.monotonic() + MAX_SECONDS
    chapters = []
    for href in [h for h in spine if h][:MAX_EPUB_CHAPTERS]:
        name = str(opf_path.parent / href.split("#")[0]).lstrip("./") if str(opf_path.parent) != "." else href
        chapters.append(_epub_chapter(archive.xml(name)))
        if time.monotonic() > deadline:
            raise ExtractError(f"took over {MAX_SECONDS:.0f} s to read (limit per file)")
    return Extracted("\n\n".join(c for c in chapters if c) + "\n", "epub", title, date)


def _epub_chapter(root: Any) -> str:
    lines = []
    for element in root.iter():
        if _local(element.tag) in _EPUB_BLOCKS and not any(
            _local(d.tag) in _EPUB_BLOCKS for d in element.iter() if d is not element
        ):
            line = " ".join("".join(element.itertext()).split())
            if line:
                lines.append(line)
    return "\n".join(lines)
