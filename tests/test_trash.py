"""A removal can be undone: the trash in the index folder, its 30 days, and the log of changes."""

import time

import pytest

from rag.errors import CorpusError
from rag.ingest import trash
from rag.ingest.changelog import read_log
from rag.ingest.documents import corpus_files
from rag.ingest.uploads import (
    CorpusPlaces,
    add_document,
    empty_trash,
    remove_document,
    restore_document,
    trashed_documents,
)


@pytest.fixture
def places(tiny_corpus, tmp_path) -> CorpusPlaces:
    return CorpusPlaces(tiny_corpus, tmp_path / "index")


def test_a_removed_document_comes_back_byte_for_byte(places):
    before = (places.corpus / "sub" / "b.md").read_bytes()
    entry = remove_document(places, "sub/b.md")
    assert [e.id for e in trashed_documents(places)] == [entry.id]
    assert [p.name for p in corpus_files(places.corpus)] == ["a.txt"]
    restored = restore_document(places, entry.id)
    assert restored.document == "sub/b.md" and (places.corpus / "sub" / "b.md").read_bytes() == before
    assert trashed_documents(places) == []
    with pytest.raises(CorpusError, match="not in the trash"):
        restore_document(places, entry.id)


def test_a_restore_never_overwrites_a_file_that_took_the_name(places, tmp_path):
    entry = remove_document(places, "a.txt")
    (places.corpus / "a.txt").write_text("Another article.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="in the corpus again"):
        restore_document(places, entry.id)
    assert (places.corpus / "a.txt").read_text() == "Another article.\n"
    assert [e.id for e in trashed_documents(places)] == [entry.id]  # still there to restore later
    for bad in ("../a.txt", "", "nothing"):
        with pytest.raises(CorpusError, match="not in the trash"):
            restore_document(places, bad)


def test_the_trash_keeps_30_days_or_until_emptied(places):
    old = remove_document(places, "a.txt")
    young = remove_document(places, "sub/b.md")
    # a.txt was removed 31 days ago: the next touch of the trash purges it, and logs that.
    note = places.trash / old.id / trash.NOTE
    note.write_text(note.read_text().replace(str(old.removed_at), str(old.removed_at - 31 * 86400)))
    assert [e.document for e in trashed_documents(places)] == ["sub/b.md"]
    assert not (places.trash / old.id).exists()
    assert empty_trash(places) == 1 and trashed_documents(places) == []
    assert not (places.trash / young.id).exists()
    assert [(e["action"], e["file"]) for e in read_log(places.log)] == [
        ("remove", "a.txt"),
        ("remove", "sub/b.md"),
        ("purge", "a.txt"),
        ("empty", "sub/b.md"),
    ]


def test_the_log_records_who_changed_what_and_its_sha256(places, tmp_path):
    import hashlib

    upload = tmp_path / "upload"
    upload.write_text("The ferry to Tallinn leaves at 7:15.\n", encoding="utf-8")
    ann = CorpusPlaces(places.corpus, places.index_dir, user="ann")
    assert add_document(places.corpus, upload, "ferry.md", ann) == places.corpus / "ferry.md"
    add_document(places.corpus, upload, "ferry.md", ann)  # the same again: nothing changed, nothing logged
    remove_document(places, "ferry.md")  # on an open loopback chat nobody is logged in
    sha = hashlib.sha256(upload.read_bytes()).hexdigest()  # stored as uploaded
    (upload_line, remove_line) = read_log(places.log)
    assert upload_line["user"] == "ann" and "user" not in remove_line
    assert (upload_line["action"], upload_line["file"], upload_line["sha256"]) == ("upload", "ferry.md", sha)
    assert (remove_line["action"], remove_line["file"], remove_line["sha256"]) == ("remove", "ferry.md", sha)
    assert time.strptime(upload_line["time"], "%Y-%m-%dT%H:%M:%SZ")


def test_rag_index_does_not_read_the_trash_even_inside_the_corpus(tiny_corpus):
    from rag.ingest.documents import load_corpus

    inside = CorpusPlaces(tiny_corpus, tiny_corpus / "index")  # an index kept in the corpus folder
    remove_document(inside, "sub/b.md")
    assert (inside.trash).is_dir() and any(inside.trash.rglob("b.md"))
    assert [d.id for d in load_corpus(tiny_corpus).documents] == ["a.txt"]
