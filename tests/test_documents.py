import pytest

from rag.errors import RagError
from rag.ingest.documents import load_corpus, parse_document


def test_date_tag_is_metadata_and_offsets_match_the_file(tiny_corpus):
    corpus = load_corpus(tiny_corpus)
    docs = {d.id: d for d in corpus.documents}
    assert set(docs) == {"a.txt", "sub/b.md"}
    a = docs["a.txt"]
    assert a.date == "2024-03-05"
    assert a.text == (tiny_corpus / "a.txt").read_text(encoding="utf-8")
    assert a.text[a.body_start :].startswith("The Blue Lake festival")
    assert a.title == "The Blue Lake festival opens in Minsk on Friday."
    assert docs["sub/b.md"].title == "Rail link agreement" and docs["sub/b.md"].date is None


def test_published_and_title_lines():
    doc = parse_document("n.txt", b"Title: Big news\nPublished: 2022/06/16\n\nBody text here.")
    assert (doc.title, doc.date) == ("Big news", "2022-06-16")
    assert doc.text[doc.body_start :] == "Body text here."


def test_seed_date_line_shares_the_line_with_text():
    doc = parse_document("s.txt", b" date 2025-11-03 On November 4, Lukashenko met the ambassador.")
    assert doc.date == "2025-11-03"
    assert doc.text[doc.body_start :].startswith("On November 4")


def test_bad_files_are_skipped_and_named(tiny_corpus):
    (tiny_corpus / "latin1.txt").write_bytes("café au lait".encode("latin-1"))
    (tiny_corpus / "empty.md").write_text("   \n", encoding="utf-8")
    (tiny_corpus / "ignored.pdf").write_bytes(b"%PDF")
    (tiny_corpus / "binary.txt").write_bytes(b"text\x00\x01\x02")
    (tiny_corpus / "loop").symlink_to(tiny_corpus)
    with (tiny_corpus / "huge.txt").open("wb") as fh:  # 50 MB, sparse: no disk is spent
        fh.truncate(50 * 2**20)
    corpus = load_corpus(tiny_corpus)
    assert {d.id for d in corpus.documents} == {"a.txt", "sub/b.md"}
    assert any("latin1.txt" in w and "UTF-8" in w for w in corpus.warnings)
    assert any("empty.md" in w for w in corpus.warnings)
    assert any("binary.txt" in w and "binary" in w for w in corpus.warnings)
    assert any("huge.txt" in w and "50 MB" in w for w in corpus.warnings)
    assert all("\n" not in w for w in corpus.warnings)


def test_missing_or_empty_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(RagError, match="not found"):
        load_corpus(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(RagError, match="no readable"):
        load_corpus(tmp_path / "empty")


def test_a_folder_of_pdf_web_page_and_word_file_is_read_with_pages_and_metadata(tmp_path):
    from makers import CRANE, ROOF, SALARY, make_mixed_corpus

    from rag.ingest.documents import TextStore
    from rag.ingest.extract import page_of

    corpus = load_corpus(make_mixed_corpus(tmp_path / "c"), TextStore(tmp_path / "texts"))
    docs = {d.id: d for d in corpus.documents}
    assert set(docs) == {"festival.txt", "report.pdf", "crane.html", "memo.docx"} and not corpus.warnings
    assert docs["report.pdf"].pages == 3 and docs["report.pdf"].title == "Harbour annual report"
    assert page_of(docs["report.pdf"].text, docs["report.pdf"].text.index(SALARY)) == 2
    assert (docs["crane.html"].title, docs["crane.html"].date) == ("Harbour crane arrives from Gdansk", "2024-03-05")
    assert CRANE in docs["crane.html"].text and ROOF in docs["memo.docx"].text
    assert docs["memo.docx"].title == "Museum budget memo" and docs["memo.docx"].pages == 0


def test_extracted_text_is_stored_by_hash_and_not_extracted_again(tmp_path, monkeypatch):
    from makers import make_mixed_corpus

    import rag.ingest.documents
    from rag.ingest.documents import TextStore, document_text

    folder, store = make_mixed_corpus(tmp_path / "c"), TextStore(tmp_path / "texts")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 truncated")
    first = load_corpus(folder, store)
    assert len(list((tmp_path / "texts").glob("*.json"))) == 4  # three texts and one reason

    def no_extraction(*args):
        raise AssertionError("extracted again")

    monkeypatch.setattr(rag.ingest.documents, "extract_bytes", no_extraction)
    again = load_corpus(folder, store)
    assert again.documents == first.documents and again.warnings == first.warnings
    assert len(again.warnings) == 1 and again.warnings[0].startswith("skipped broken.pdf: corrupt or truncated PDF")
    for doc in first.documents:
        assert document_text(folder, doc.id, store) == doc.text


def test_every_bad_file_costs_one_line_and_the_rest_is_read(tmp_path):
    from makers import make_mixed_corpus
    from test_extract import bad_files

    folder = make_mixed_corpus(tmp_path / "c")
    bad = bad_files(tmp_path)
    for name, (data, _) in bad.items():
        (folder / name).write_bytes(data)
    with (folder / "huge.html").open("wb") as fh:
        fh.truncate(50 * 2**20)
    corpus = load_corpus(folder)
    assert {d.id for d in corpus.documents} == {"festival.txt", "report.pdf", "crane.html", "memo.docx"}
    assert len(corpus.warnings) == len(bad) + 1
    for name, (_, reason) in bad.items():
        (line,) = [w for w in corpus.warnings if w.startswith(f"skipped {name}: ")]
        assert reason in line and "\n" not in line


def test_a_published_line_under_a_one_page_pdfs_running_header_dates_it(tmp_path):
    from makers import SALARY, make_pdf

    (tmp_path / "c").mkdir()
    make_pdf(tmp_path / "c" / "one.pdf", "One page", [["Published: 2022/07/12", SALARY]], heading=False)
    (doc,) = load_corpus(tmp_path / "c").documents
    assert doc.text.startswith("The Harbour Gazette")  # one page: no second page shows it repeats
    assert doc.date == "2022-07-12"  # not the PDF's CreationDate (the day it was made)
