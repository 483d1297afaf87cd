from rag.evidence import Evidence
from rag.schema import Passage
from rag.verify import Claim, parse_claims, render, verify_claims

TEXT = "Indian Ambassador to Belarus, Ashok Kumar, met Lukashenko in Minsk. Trade reached 500 million dollars."


def evidence() -> list[Evidence]:
    p = Passage("001.txt", "001.txt#0", TEXT, 10, 10 + len(TEXT), 0.5, "Title", "2025-11-03")
    first, second = TEXT.split(". ")
    return [
        Evidence(p, first + ".", 10, 10 + len(first) + 1, 0.8, 0.7, 0.9),
        Evidence(p, second, 10 + len(first) + 2, 10 + len(TEXT), 0.5, 0.4, 0.6),
    ]


def test_markers_are_parsed_and_invalid_ones_dropped():
    claims = parse_claims("Answer: Ashok Kumar is the ambassador [1]. Trade was big [7].", 2)
    assert claims == [Claim("Ashok Kumar is the ambassador.", (0,)), Claim("Trade was big.", ())]
    # a bracket left dangling by a broken marker is not part of the answer
    assert parse_claims("The meeting [ [1][2].", 2) == [Claim("The meeting.", (0, 1))]


def test_verification_keeps_supported_claims_and_recites_uncited_ones():
    ev = evidence()
    claims = [Claim("Trade reached 500 million dollars", (0,)), Claim("The ambassador is Boris", (0,))]
    kept = verify_claims(claims, ev, "How much did trade reach, and who is the ambassador?")
    assert kept == [Claim("Trade reached 500 million dollars", (1,))]


def test_render_numbers_citations_by_first_use_with_verbatim_quotes():
    ev = evidence()
    text, citations = render([Claim("Trade reached 500 million dollars", (1,)), Claim("Ashok Kumar", (0,))], ev)
    assert text == "Trade reached 500 million dollars [1]. Ashok Kumar [2]."
    assert [(c.n, c.quote) for c in citations] == [(1, ev[1].text), (2, ev[0].text)]
    full = " " * 10 + TEXT
    assert all(full[c.start : c.end] == c.quote for c in citations)


def test_quoted_evidence_is_rendered_verbatim_in_quotation_marks():
    ev = evidence()
    text, citations = render([Claim("Ashok Kumar", (0,)), Claim(ev[0].text, (0,), quoted=True)], ev)
    assert text == f"Ashok Kumar [1]. “{ev[0].text}” [1]"
    assert len(citations) == 1 and citations[0].quote == ev[0].text
