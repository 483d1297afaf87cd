"""Test documents made by real tools: reportlab typesets two-column PDFs with running headers,
footers and hyphenation; python-docx writes Word files; web pages come with the navigation,
cookie banner, adverts and related links a saved page has around its article."""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

# Varied sentences (a typeset column of one repeated sentence would repeat its lines too).
FILLER = [
    "Council members debated the reorganisation of municipal transportation infrastructure for hours.",
    "Residents of the northern districts asked for extraordinarily detailed environmental consultations.",
    "The administration promised that rehabilitation of the old terminal would begin before winter.",
    "Opposition councillors questioned whether the contractors had understood the specifications.",
    "A spokesperson for the port authority declined to comment on the negotiations with the unions.",
    "Several shopkeepers complained that the roadworks had already discouraged weekend visitors.",
]
# One fact per file, each stated only there.
SALARY = "The lighthouse keeper's annual salary was raised to 41,300 kroner in the spring budget."
CRANE = "The new harbour crane, built by a shipyard in Gdansk, can lift 80 tonnes."
ROOF = "Repairs to the museum roof will cost 2.4 million euros, the finance committee said."


def filler(n: int, shift: int = 0) -> list[str]:
    return [" ".join(FILLER[(i + j + shift) % len(FILLER)] for j in range(4)) for i in range(n)]


def make_mixed_corpus(folder: Path) -> Path:
    """A .txt article, a three-page PDF (its fact on page 2), a saved web page and a Word file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "festival.txt").write_text(
        " date 2024-03-05 The Blue Lake festival opens in Minsk on Friday. Organizers expect 12,000 visitors.\n",
        encoding="utf-8",
    )
    make_pdf(
        folder / "report.pdf", "Harbour annual report", [filler(7), [*filler(3, 1), SALARY, *filler(3, 2)], filler(2)]
    )
    make_html(folder / "crane.html", "Harbour crane arrives from Gdansk", [*filler(2, 3), CRANE, *filler(1, 4)])
    table = [["Item", "Cost"], ["Roof", "2.4 million euros"], ["Windows", "0.3 million euros"]]
    make_docx(folder / "memo.docx", "Museum budget memo", [*filler(2, 5), ROOF, *filler(1, 2)], table)
    return folder


def make_pdf(
    path: Path,
    title: str,
    pages: list[list[str]],
    header: str = "The Harbour Gazette · Weekly edition",
    heading: bool = True,
) -> Path:
    """Two justified, hyphenated columns per page; each inner list is one page's paragraphs
    (a page break after each list), a running header and a "Page n" footer on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph

    width, height = A4
    gap, margin = 0.8 * cm, 2 * cm
    column = (width - 2 * margin - gap) / 2
    frames = [
        Frame(margin, margin, column, height - 2 * margin - cm, id="left"),
        Frame(margin + column + gap, margin, column, height - 2 * margin - cm, id="right"),
    ]

    def running(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(margin, height - margin + 0.2 * cm, header)
        canvas.drawCentredString(width / 2, margin - 0.8 * cm, f"Page {doc.page}")
        canvas.restoreState()

    doc = BaseDocTemplate(str(path), pagesize=A4, title=title, author="Test desk")
    doc.addPageTemplates([PageTemplate(id="two", frames=frames, onPage=running)])
    body = ParagraphStyle(
        "body", fontName="Times-Roman", fontSize=10, leading=12.5, alignment=4,
        hyphenationLang="en_GB", embeddedHyphenation=1, uriWasteReduce=0.3, spaceAfter=6,
    )  # fmt: skip
    heading_style = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=14, leading=17, spaceAfter=8)
    story: list = [Paragraph(html.escape(title), heading_style)] if heading else []
    for number, paragraphs in enumerate(pages):
        if number:
            story.append(PageBreak())
        story += [Paragraph(html.escape(p), body) for p in paragraphs]
    doc.build(story)
    return path


def make_html(path: Path, title: str, paragraphs: list[str], date: str = "2024-03-05") -> Path:
    """A saved news page: the article inside menus, a cookie banner, adverts and related links."""
    esc = html.escape
    nav = "".join(
        f'<li><a href="/{s.lower()}">{s}</a></li>' for s in ["World", "Business", "Sport", "Weather", "Travel"]
    )
    related = "".join(
        f'<li><a href="/r{i}">Celebrity chef opens {i} new restaurants in the capital this spring</a></li>'
        for i in range(2, 8)
    )
    article = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)} | The Coast Courier</title>
<meta property="og:title" content="{esc(title)}">
<meta property="article:published_time" content="{date}T08:30:00Z">
<link rel="stylesheet" href="https://cdn.example.com/site.css">
<script src="https://ads.example.com/tag.js"></script></head>
<body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience. Accept all cookies or manage preferences.</div>
<header><a href="/">The Coast Courier</a><nav><ul>{nav}</ul></nav>
<form action="/search"><input name="q" placeholder="Search"></form></header>
<div class="ad ad-banner"><img src="https://ads.example.com/banner.gif" alt="">Advertisement: Buy two mattresses, get the third free at Sleepwell!</div>
<main><article>
<h1>{esc(title)}</h1>
<p class="byline">By Mira Holm · <time datetime="{date}">{date}</time></p>
{article}
</article>
<aside class="related"><h2>Most read</h2><ul>{related}</ul></aside>
<div class="ad ad-sidebar">Sponsored: Lose weight fast with this one weird trick doctors hate.</div>
</main>
<footer><p>© 2024 The Coast Courier. All rights reserved.</p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"""
    path.write_text(page, encoding="utf-8")
    return path


def make_docx(
    path: Path, title: str, paragraphs: list[str], table: list[list[str]] | None = None, date: datetime | None = None
) -> Path:
    """A Word file with a title, headings, paragraphs and a table, and its core properties set."""
    from docx import Document

    document = Document()
    document.core_properties.title = title
    document.core_properties.created = date or datetime(2024, 3, 5, 9, 0)
    document.add_heading(title, level=1)
    half = len(paragraphs) // 2 or 1
    for p in paragraphs[:half]:
        document.add_paragraph(p)
    if table:
        document.add_heading("In figures", level=2)
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    if table:
        document.add_heading("What comes next", level=2)
    for p in paragraphs[half:]:
        document.add_paragraph(p)
    document.save(str(path))
    return path
