import os
from pathlib import Path

import pytest

from rag.errors import RagError
from rag.schema import Answer, Citation, Passage
from rag.serve.ui import chat_text, model_choices, shorten, sources_html, turn_settings
from rag.settings import Settings

TEXT = "Intro sentence. The <script>alert(1)</script> envoy is Ashok Kumar. Outro."


def answer(answered: bool = True) -> Answer:
    passage = Passage("a.txt", "a.txt#0", TEXT, 100, 100 + len(TEXT), 0.03, "A <b>title</b>", "2025-11-03")
    s = TEXT.index("The <script>")
    e = TEXT.index(" Outro")
    quote = TEXT[s:e]
    cites = [Citation(1, "a.txt", "a.txt#0", quote, 100 + s, 100 + e, 0.7, "A <b>title</b>", "2025-11-03")]
    other = Passage("b.txt", "b.txt#0", "Unrelated passage.", 0, 18, 0.01, "B", None)
    timings = {"retrieve": 0.02, "total": 1.5}
    if not answered:
        return Answer("Q?", "I could not find it.", False, [], [passage, other], timings)
    return Answer("Q?", "Ashok <i>Kumar</i> [1].", True, cites, [passage, other], timings, ["sources disagree"])


def test_sources_highlight_the_quote_inside_its_passage_and_escape_html():
    page = sources_html(answer())
    assert "<mark>The &lt;script&gt;alert(1)&lt;/script&gt; envoy is Ashok Kumar.</mark>" in page
    assert "<script>" not in page and "<b>title</b>" not in page
    assert "a.txt" in page and "2025-11-03" in page
    assert "Retrieved but not cited (1)" in page and "Unrelated passage." in page
    assert 'class="rag-warning"' in page and "sources disagree" in page
    assert "total 1.50 s" in page


def test_markers_carry_their_quote_and_article_and_answers_are_escaped():
    bubble = chat_text(answer())
    assert bubble.startswith("Ashok &lt;i&gt;Kumar&lt;/i&gt; <abbr")
    tip = bubble.split('title="', 1)[1].split('"', 1)[0]
    assert "a.txt" in tip and "2025-11-03" in tip and "envoy is Ashok Kumar" in tip
    assert "<script>" not in bubble


def test_refusals_look_different_and_cite_nothing():
    page = sources_html(answer(answered=False))
    assert 'class="rag-refusal"' in page and "<mark>" not in page
    assert chat_text(answer(answered=False)).startswith("I could not find it.")


def test_a_refusal_shows_its_closest_quotes_as_such():
    refusal = answer()
    refusal.answered = False
    refusal.text = "The articles do not say who the envoy to Brazil is. The closest they come: “…” [1]"
    bubble, page = chat_text(refusal), sources_html(refusal)
    assert bubble.startswith("The articles do not say") and "<abbr" in bubble
    assert "Closest passages" in page and "Sources" not in page and "<mark>" in page


def test_a_visitor_picks_only_offered_models_and_sane_numbers(tmp_path):
    (tmp_path / "other.gguf").write_bytes(b"GGUF")
    settings = Settings(models_dir=tmp_path)
    assert model_choices(settings) == ["default", "smollm2", "other.gguf"]
    assert turn_settings(settings, "other.gguf", 3, 0.2).model == tmp_path / "other.gguf"
    assert turn_settings(settings, "default", 50, 7).k == 10
    for escape in ("../secret.gguf", "/etc/passwd", str(tmp_path / "other.gguf")):
        with pytest.raises(RagError, match="unknown model"):
            turn_settings(settings, escape, 3, 0.0)


def test_auth_from_a_pair_or_a_file(tmp_path: Path):
    from rag.serve.passwords import Login, hash_password, read_logins

    assert read_logins("ann:s3cret") == [Login("ann", "s3cret")]
    users = tmp_path / "users"
    users.write_text(f"# who may change the corpus\nann:a:b\n\nbob:{hash_password('pw', iterations=20_000)}\n")
    ann, bob = read_logins(str(users))
    assert ann == Login("ann", "a:b") and bob.user == "bob" and bob.secret.iterations == 20_000
    with pytest.raises(RagError, match="user:password"):
        read_logins("nopassword")


def test_titles_are_whole_or_cut_at_a_word_with_an_ellipsis():
    title = "Foreign Office Consultations between India and Belarus discussed with great care"
    assert shorten(title, 200) == title
    cut = shorten(title, 60)
    assert len(cut) <= 60 and cut.endswith("…") and title.startswith(cut[:-1]) and title[len(cut) - 1] == " "


def test_one_source_line_per_article_with_all_its_markers_and_no_emoji():
    a = answer()
    c = a.citations[0]
    a.citations.append(Citation(2, c.source, c.chunk_id, c.quote, c.start, c.end, 0.5, c.title, c.date))
    a.text = "Ashok Kumar [1]. “The envoy.” [2]"
    bubble = chat_text(a)
    assert bubble.count("(a.txt, 2025-11-03)") == 1 and "[1][2] *A &lt;b&gt;title&lt;/b&gt;*" in bubble
    assert not any(ord(ch) > 0x2BFF for ch in bubble + sources_html(a))  # no emoji a browser may lack


def test_a_pdf_quote_is_shown_with_its_page():
    from rag.answer.verify import citation
    from rag.schema import Evidence

    text = "End of page one.\fOn page two the keeper's salary rose. More text."
    passage = Passage("report.pdf", "report.pdf#3", text, 500, 500 + len(text), 0.4, "Harbour report", None, 4)
    s = text.index("On page")
    quote = "On page two the keeper's salary rose."
    cite = citation(1, Evidence(passage, quote, 500 + s, 500 + s + len(quote), 0.8, 0.8, 0.8))
    a = Answer("Q?", "It rose [1].", True, [cite], [passage])
    assert a.citations[0].page == 5  # the passage starts on page 4; the quote is past one page break
    assert "report.pdf, p. 5 · characters" in sources_html(a)
    assert "(report.pdf, p. 5)" in chat_text(a)
    assert a.to_dict()["citations"][0]["page"] == 5


def test_the_documents_panel_lists_a_file_the_index_could_not_read_and_why(tiny_corpus, tmp_path, embedder):
    from rag.serve.ui import corpus_rows

    (tiny_corpus / "broken.pdf").write_bytes(b"%PDF-1.4 cut short")
    rows = corpus_rows(Settings(corpus=tiny_corpus, index_dir=tmp_path / "idx"))
    assert [row[0] for row in rows] == ["a.txt", "broken.pdf", "sub/b.md"]
    (broken,) = [row for row in rows if row[0] == "broken.pdf"]
    assert broken[1].startswith("Not indexed: corrupt or truncated PDF") and broken[3] == 0


def test_the_folder_of_exported_conversations_goes_when_the_server_process_ends(tiny_corpus, tmp_path):
    import subprocess
    import sys

    temp = tmp_path / "temp"
    temp.mkdir()
    script = (
        "import sys; from pathlib import Path; from rag.settings import Settings; from rag.serve.ui import build_app;"
        "app = build_app(Settings(corpus=Path(sys.argv[1]), index_dir=Path(sys.argv[2])));"
        "print(*Path(sys.argv[3]).glob('rag-exports-*'))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(tiny_corpus), str(tmp_path / "idx"), str(temp)],
        env={**os.environ, "TMPDIR": str(temp)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "rag-exports-" in run.stdout  # the app had its folder
    assert list(temp.glob("rag-exports-*")) == []


def test_an_answer_of_points_is_shown_as_a_list_with_its_markers():
    listed = answer()
    listed.text = "- Ashok Kumar [1]\n- <b>Kasko</b> [1]"
    bubble = chat_text(listed)
    lines = bubble.split("\n")
    assert lines[0].startswith("- Ashok Kumar <abbr") and lines[1].startswith("- &lt;b&gt;Kasko&lt;/b&gt; <abbr")
