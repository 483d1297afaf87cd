from rag.schema import Answer, Citation, Passage
from rag.ui import chat_text, sources_html

TEXT = "Intro sentence. The <script>alert(1)</script> envoy is Ashok Kumar. Outro."


def answer(answered: bool = True) -> Answer:
    passage = Passage("a.txt", "a.txt#0", TEXT, 100, 100 + len(TEXT), 0.03, "A <b>title</b>", "2025-11-03")
    s = TEXT.index("The <script>")
    e = TEXT.index(" Outro")
    quote = TEXT[s:e]
    cites = [Citation(1, "a.txt", "a.txt#0", quote, 100 + s, 100 + e, 0.7, "A <b>title</b>", "2025-11-03")]
    other = Passage("b.txt", "b.txt#0", "Unrelated passage.", 0, 18, 0.01, "B", None)
    if not answered:
        return Answer("Q?", "I could not find it.", False, [], [passage, other])
    return Answer("Q?", "Ashok Kumar [1].", True, cites, [passage, other])


def test_sources_highlight_the_quote_inside_its_passage_and_escape_html():
    page = sources_html(answer())
    assert "<mark>The &lt;script&gt;alert(1)&lt;/script&gt; envoy is Ashok Kumar.</mark>" in page
    assert "<script>" not in page and "<b>title</b>" not in page
    assert "a.txt" in page and "2025-11-03" in page
    assert "Other retrieved passages (1)" in page and "Unrelated passage." in page


def test_refusals_look_different_and_cite_nothing():
    page = sources_html(answer(answered=False))
    assert 'class="rag-refusal"' in page and "<mark>" not in page
    assert chat_text(answer(answered=False)).startswith("🔎")
    assert chat_text(answer()).startswith("Ashok Kumar [1].")
