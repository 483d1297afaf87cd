from rag.answer.kinds.said import attribute, descriptions, is_speaker, name_run

ARTICLE = """ date 2025-11-03 On November 4, Belarusian President Alexander Lukashenko met the Indian ambassador.

"Our target is a trade volume of 2-3 billion dollars. The main issue now is to activate our cooperation," stated the head of state.

He emphasized that it is time to deepen relations.

Ashok Kumar, Extraordinary and Plenipotentiary Ambassador of India to Belarus:

"It is a great honor for me to be here. Relations should be built like a big family."

"Belarus has very good potential," said the ambassador. "We invite Belarusian companies to enter our market."

The weather in Minsk was cold.
"""


def spoken_by(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for s in attribute(text):
        out.setdefault(s.speaker, []).append(text[s.start : s.end])
    return out


def test_each_quote_goes_to_its_speaker_across_paragraphs() -> None:
    said = spoken_by(ARTICLE)
    lukashenko = " ".join(said["Alexander Lukashenko"])
    kumar = " ".join(said["Ashok Kumar"])
    assert "2-3 billion" in lukashenko and "time to deepen" in lukashenko
    assert "big family" in kumar and "great honor" in kumar  # under the "Name, title:" header
    assert "very good potential" in kumar and "invite Belarusian companies" in kumar  # "said the ambassador"
    assert "big family" not in lukashenko and "2-3 billion" not in kumar
    assert not any("weather" in s for sentences in said.values() for s in sentences)  # narration is nobody's


def test_a_title_that_places_its_holder_is_not_who_they_are() -> None:
    spoken = attribute(ARTICLE)
    kumar = next(s for s in spoken if s.speaker == "Ashok Kumar")
    assert is_speaker("the Indian ambassador", kumar)
    assert not is_speaker("the Belarusian ambassador", kumar)  # "Ambassador of India to Belarus"
    assert not is_speaker("Lukashenko", kumar)
    lukashenko = next(s for s in spoken if s.speaker == "Alexander Lukashenko")
    assert is_speaker("the Belarusian president", lukashenko) and not is_speaker("the Indian ambassador", lukashenko)


def test_an_interviews_answers_are_the_interviewees() -> None:
    text = (
        "In this interview with the Post, Ambassador of Belarus in India, Mikhail Kasko speaks about trade.\n\n"
        "What are the milestones?\n\nIn 1985, Rajiv Gandhi visited Soviet Belarus.\n\n"
        "What sectors have potential?\n\nWe are interested in dump trucks.\n"
    )
    said = spoken_by(text)
    assert said == {
        "Mikhail Kasko": ["In 1985, Rajiv Gandhi visited Soviet Belarus.", "We are interested in dump trucks."]
    }
    assert "ambassador" in descriptions(text)["Kasko"]


def test_a_name_is_told_from_its_titles() -> None:
    assert name_run("Belarusian President Alexander Lukashenko") == "Alexander Lukashenko"
    assert name_run("Ashok Kumar, Ambassador of India") == "Ashok Kumar"
    assert name_run("the ambassador") is None and name_run("He") is None


def test_the_person_asked_about_is_found_by_their_name_after_their_titles() -> None:
    assert name_run("Sri Lankan Prime Minister Ranil Wickremesinghe") == "Ranil Wickremesinghe"
    assert name_run("China's Defense Minister Wei Fenghe") == "Wei Fenghe"
    assert name_run("Florida Gov. Ron DeSantis") == "Ron DeSantis"
    spoken = attribute('"We will not give up," Brittney Griner said.\n')
    assert not is_speaker("Cherelle Griner", spoken[0]) and is_speaker("Brittney Griner", spoken[0])


def test_a_family_name_written_first_is_the_person_and_a_shared_surname_is_nobody_for_sure() -> None:
    text = (
        "Chinese Defense Minister Wei Fenghe spoke on Sunday.\n\n"
        '"Taiwan is first and foremost China\'s Taiwan," Wei said.\n\n'
        "Brittney Griner was sentenced. Her wife Cherelle Griner met the President.\n\n"
        '"I am terrified," Griner wrote.\n\n'
        '"It was not the news I wanted," Cherelle Griner said.\n\n'
        "Rajnath Singh, in turn, expressed confidence in the partnership.\n"
    )
    spoken = attribute(text)
    wei = next(s for s in spoken if "foremost" in text[s.start : s.end])
    assert wei.speaker == "Wei Fenghe" and is_speaker("Chinese Defense Minister Wei Fenghe", wei)
    bare = next(s for s in spoken if "terrified" in text[s.start : s.end])
    assert not is_speaker("Cherelle Griner", bare) and not is_speaker("Brittney Griner", bare)
    cherelle = next(s for s in spoken if "news I wanted" in text[s.start : s.end])
    assert is_speaker("Cherelle Griner", cherelle) and not is_speaker("Brittney Griner", cherelle)
    singh = next(s for s in spoken if "confidence" in text[s.start : s.end])
    assert is_speaker("Rajnath Singh", singh)
    assert not any(text[s.start : s.end].startswith("Chinese Defense") for s in spoken)  # "spoke on Sunday"
