import pytest

from rag.errors import CorpusError
from rag.ingest.uploads import add_document, safe_name


def test_names_cannot_leave_the_corpus():
    assert safe_name("../../etc/passwd", ".txt") == "passwd.txt"
    assert safe_name("..\\..\\evil.md", ".md") == "evil.md"
    assert safe_name(".hidden", ".txt") == "hidden.txt"
    assert safe_name("Report 2024 (final).pdf", ".txt") == "Report-2024-final.txt"


def test_uploads_are_stored_as_the_files_they_are(tmp_path):
    corpus = tmp_path / "corpus"
    note = tmp_path / "up1"
    note.write_text("The ferry to Tallinn leaves at 7:15.\n", encoding="utf-8")
    stored = add_document(corpus, note, "ferry.md")
    assert stored == corpus / "ferry.md" and "Tallinn" in stored.read_text()
    # The same document twice is stored once; a different one with the same name is kept apart.
    assert add_document(corpus, note, "ferry.md") == stored
    other = tmp_path / "up2"
    other.write_text("Another ferry.\n", encoding="utf-8")
    assert add_document(corpus, other, "ferry.md") == corpus / "ferry-2.md"

    page = tmp_path / "up3"
    page.write_text(
        "<html><head><title>Harbour news</title></head><body><nav>Home | About</nav><article><p>"
        + "The new harbour crane lifts 80 tonnes and was built in Gdansk by a local yard. " * 3
        + "</p></article><script>steal()</script></body></html>",
        encoding="utf-8",
    )
    stored = add_document(corpus, page, "harbour.html")
    assert stored.name == "harbour.html" and stored.read_bytes() == page.read_bytes()


def test_a_word_file_upload_is_read_the_way_the_index_reads_it(tmp_path):
    from makers import ROOF, make_docx

    from rag.ingest.documents import load_corpus

    corpus = tmp_path / "corpus"
    stored = add_document(corpus, make_docx(tmp_path / "up", "Museum budget memo", [ROOF]), "Memo (final).docx")
    assert stored == corpus / "Memo-final.docx"
    (doc,) = load_corpus(corpus).documents
    assert ROOF in doc.text and doc.title == "Museum budget memo"


def test_a_pdf_upload_is_kept_as_a_pdf(tmp_path):
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
         NameObject("/BaseFont"): NameObject("/Helvetica")}
    )  # fmt: skip
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 72 720 Td (The lighthouse was painted red in 1911.) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    pdf = tmp_path / "up.pdf"
    with pdf.open("wb") as fh:
        writer.write(fh)
    stored = add_document(tmp_path / "corpus", pdf, "lighthouse.pdf")
    assert stored.name == "lighthouse.pdf" and stored.read_bytes() == pdf.read_bytes()
    from rag.ingest.documents import load_corpus

    (doc,) = load_corpus(tmp_path / "corpus").documents
    assert "painted red in 1911" in doc.text and doc.pages == 1


def test_bad_uploads_get_one_clear_error_and_store_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    cases = {
        "tool.exe": b"MZ\x90\x00",
        "latin1.txt": "caf\xe9".encode("latin-1"),
        "blob.txt": b"abc\x00def",
        "empty.md": b"   \n",
        "fake.pdf": b"not a pdf at all",
        "long.txt": b"A sentence of an overly long document. " * 300_000,  # 12 MB: over the indexer's limit
    }
    for name, data in cases.items():
        upload = tmp_path / f"upload-{name}"
        upload.write_bytes(data)
        with pytest.raises(CorpusError) as info:
            add_document(corpus, upload, name)
        assert name in str(info.value) and "\n" not in str(info.value)
    assert not corpus.exists() or not any(corpus.iterdir())


def test_remove_moves_only_a_document_of_the_corpus_to_the_trash(tmp_path):
    from rag.ingest.changelog import read_log
    from rag.ingest.uploads import CorpusPlaces, remove_document, restore_document

    corpus = tmp_path / "corpus"
    places = CorpusPlaces(corpus, tmp_path / "index", user="ann")
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "a.txt").write_text("A.\n", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("Keep me.\n", encoding="utf-8")
    (corpus / "link.txt").symlink_to(outside)
    (corpus / "notes.csv").write_text("x\n", encoding="utf-8")
    for bad in ["../outside.txt", "/etc/passwd", "sub", "notes.csv", ".hidden.txt", "", "sub/../../outside.txt"]:
        with pytest.raises(CorpusError, match="not a document of the corpus"):
            remove_document(places, bad)
    with pytest.raises(CorpusError, match="no longer in the corpus"):
        remove_document(places, "missing.txt")
    entry = remove_document(places, "sub/a.txt")
    assert entry.document == "sub/a.txt" and entry.user == "ann"
    assert not (corpus / "sub" / "a.txt").exists()
    link = remove_document(places, "link.txt")
    assert outside.read_text() == "Keep me.\n" and not (corpus / "link.txt").exists()
    assert (corpus / "notes.csv").exists()
    # Both come back where they were, the link still a link.
    restore_document(places, entry.id)
    restore_document(places, link.id)
    assert (corpus / "sub" / "a.txt").read_text() == "A.\n"
    assert (corpus / "link.txt").is_symlink() and (corpus / "link.txt").read_text() == "Keep me.\n"
    assert [(e["action"], e["file"], e["user"]) for e in read_log(places.log)] == [
        ("remove", "sub/a.txt", "ann"),
        ("remove", "link.txt", "ann"),
        ("restore", "sub/a.txt", "ann"),
        ("restore", "link.txt", "ann"),
    ]
