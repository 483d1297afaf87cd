import pytest

from rag.documents import load_corpus, parse_document
from rag.errors import RagError


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
