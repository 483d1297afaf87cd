"""Documents as people have them: realtimeqa articles rendered as PDF (reportlab, two columns,
hyphenated, running header and footer), saved web page (menus, cookie banner, adverts around
the article) and Word file (python-docx) into a temporary folder; never into the project.

Prints extraction pages/s and files/s per format, indexes a mixed folder with every file
accounted for, and measures what extraction adds to indexing PDFs (the same articles as .txt
and as .pdf). Run alone, `python bench/documents.py [N]`, or from bench.py (`make bench`)."""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RTQA = ROOT.parent / "shared" / "bench" / "realtimeqa_2022"
FORMATS = (".pdf", ".html", ".docx")
Record = Callable[[str, str, str], None]


def article_names(n: int) -> list[str]:
    """The articles that answer the questions first (so an eval over them means something),
    then the rest, n in all."""
    wanted: list[str] = []
    for line in (RTQA / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        for doc in json.loads(line).get("evidence_docs", []):
            if doc not in wanted and (RTQA / "docs" / doc).is_file():
                wanted.append(doc)
    rest = sorted(p.name for p in (RTQA / "docs").glob("*.txt") if p.name not in wanted)
    return (wanted + rest)[:n]


def render(names: list[str], folder: Path) -> tuple[Path, Path]:
    """(folder of the .txt articles as symlinks, folder of the same articles rendered in turn
    as PDF, web page and Word file)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from makers import make_docx, make_html, make_pdf

    meta = {}
    for line in (RTQA / "docs_meta.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        meta[row["doc"]] = row
    txt, mixed = folder / "txt", folder / "mixed"
    txt.mkdir(parents=True)
    mixed.mkdir(parents=True)
    for i, name in enumerate(names):
        (txt / name).symlink_to(RTQA / "docs" / name)
        text = (RTQA / "docs" / name).read_text(encoding="utf-8")
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
        published = meta.get(name, {}).get("published") or "2022/01/01"
        title = meta.get(name, {}).get("title") or paragraphs[min(1, len(paragraphs) - 1)][:80]
        body = [p for p in paragraphs if not p.startswith("Published:")]
        stem = Path(name).stem
        suffix = FORMATS[i % len(FORMATS)]
        if suffix == ".pdf":
            # The date line opens the text, as it opens the .txt: it is the article's own date.
            make_pdf(
                mixed / f"{stem}.pdf", title, [[f"Published: {published}", *body]], header="News digest", heading=False
            )
        elif suffix == ".html":
            make_html(mixed / f"{stem}.html", title, body, date=published.replace("/", "-"))
        else:
            make_docx(mixed / f"{stem}.docx", title, body, date=datetime.strptime(published, "%Y/%m/%d"))
    return txt, mixed


def bench_extraction(mixed: Path, record: Record) -> None:
    from rag.ingest.extract import extract_file

    for suffix in FORMATS:
        files = sorted(mixed.glob(f"*{suffix}"))
        pages, started = 0, time.perf_counter()
        for path in files:
            pages += extract_file(path).pages
        took = time.perf_counter() - started
        per_page = f"{pages / took:.0f} pages/s, " if pages else ""
        record(
            f"extraction {suffix[1:].upper()}",
            f"{len(files) / took:.1f} files/s",
            f"{per_page}{len(files)} files in {took:.1f} s",
        )


def timed_build(corpus: Path, embedder) -> tuple[float, object]:
    from rag.search.index import build_index, chunking_params

    out = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    index = build_index(corpus, out / "idx", embedder, chunking_params(128, 32), log=lambda m: None)
    took = time.perf_counter() - started
    shutil.rmtree(out, ignore_errors=True)
    return took, index


def bench_documents(record: Record, n: int = 200) -> None:
    if not (RTQA / "docs").is_dir():
        record("documents", "skipped", f"{RTQA} not found")
        return
    from rag.cache import get_embedder
    from rag.ingest.documents import corpus_files

    folder = Path(tempfile.mkdtemp(prefix="rag-documents-"))
    try:
        started = time.perf_counter()
        txt, mixed = render(article_names(n), folder)
        record(
            "render realtimeqa as PDF/HTML/DOCX",
            f"{n} files",
            f"{time.perf_counter() - started:.0f} s (reportlab, python-docx)",
        )
        bench_extraction(mixed, record)
        embedder = get_embedder()
        embedder.embed(["warm up"])
        took, index = timed_build(mixed, embedder)
        files = len(corpus_files(mixed))
        accounted = len(index.documents) + len(index.warnings)
        record(
            f"index a mixed folder of {files} files",
            f"{took:.0f} s",
            f"{len(index.documents)} indexed + {len(index.warnings)} skipped = {accounted} of {files}; {len(index.chunks)} chunks",
        )
        # The same articles as .txt and as .pdf: what extraction adds to indexing PDFs.
        pdf_only, txt_only = folder / "pdf", folder / "pdf-txt"
        pdf_only.mkdir()
        txt_only.mkdir()
        for path in mixed.glob("*.pdf"):
            (pdf_only / path.name).symlink_to(path)
            (txt_only / f"{path.stem}.txt").symlink_to(txt / f"{path.stem}.txt")
        as_txt, _ = timed_build(txt_only, embedder)
        as_pdf, _ = timed_build(pdf_only, embedder)
        record(
            "indexing PDFs vs the same articles as .txt",
            f"+{(as_pdf / as_txt - 1) * 100:.0f}%",
            f"{as_pdf:.1f} s vs {as_txt:.1f} s ({len(list(pdf_only.iterdir()))} articles); target <= +30%",
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    def record(figure: str, value: str, note: str = "") -> None:
        print(f"{figure:<48} {value:>14}  {note}", flush=True)

    bench_documents(record, int(sys.argv[1]) if len(sys.argv) > 1 else 200)


if __name__ == "__main__":
    main()
