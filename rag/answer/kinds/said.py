"""What someone said: only that person's own words or reported speech, each quoted and cited.

Who said each sentence is read from the article's own attribution: "…," said the ambassador;
Lukashenko said; "According to X, …"; a header "Ashok Kumar, Ambassador of India:" over the
quote that follows; a quote running on over paragraphs; an interview's answers, which are the
interviewee's. A pronoun or a title ("he", "the head of state", "the ambassador") is the
latest named speaker the article describes so. Another speaker's words are never given as the
person asked about: a sentence whose speaker is unknown is not theirs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...ingest.chunking import split_sentences
from ...schema import Evidence, Passage
from ...search.index import Index
from ...text.words import content_stems, normalize
from .classify import said_parts
from .shape import Event, Found, Turn, article_passages, compose, compose_refusal, not_said, specific

MAX_POINTS = 6
_VERBS = (
    r"said|says|stated|states|added|adds|noted|notes|mentioned|emphasi[sz]ed|emphasi[sz]es|highlighted|stressed|"
    r"explained|remarked|believes|expressed|reiterated|assured|appreciated|posted|wrote|told|urged|warned|"
    r"argued|insisted|speaks(?!\s+(?:at|in|on|during|before)\b)|spoke(?!\s+(?:at|in|on|during|before)\b)|declared|announced|acknowledged|recalled|pointed out|underlined|underscored|"
    r"shared|named|listed|proposed|suggested|invited|summari[sz]ed|confirmed|affirmed|observed|replied|answered"
)
_NAME = r"[A-Z][\w.’'-]*(?:\s+(?:of\s+|de\s+|van\s+|al-)?[A-Z][\w.’'-]*){0,5}"
_DESCRIPTOR = r"(?:[Hh]e|[Ss]he|[Tt]he\s+[a-z][\w’'-]*(?:\s+(?:of\s+)?[\w’'-]+){0,4}?)"
# "…," said the ambassador / "…," Lukashenko said / He emphasized that …
_AFTER_QUOTE = re.compile(rf"[,.!?]?[”\"]\s*,?\s*(?:{_VERBS})\s+(?P<who>{_NAME}|{_DESCRIPTOR})(?=[\s.,;:]|$)")
# "Rajnath Singh, in turn, expressed …": a short aside between the speaker and the verb
_ASIDE = r"(?:,\s+(?:in\s+turn|for\s+(?:his|her|their)\s+part|however|meanwhile|too|in\s+response),?)?"
_SUBJECT = re.compile(
    rf"(?:^|[”\"]\s*,?\s*|,\s+|\band\s+)(?P<who>{_NAME}|{_DESCRIPTOR}){_ASIDE}\s+(?:also\s+|further\s+|then\s+)?"
    rf"(?:{_VERBS})\b"
)
_ACCORDING = re.compile(rf"^\W*[Aa]ccording\s+to\s+(?P<who>{_NAME}|{_DESCRIPTOR})\s*,")
_QUESTION_END = re.compile(r"\?[”\"’']?\s*$")
_ROLE_WORDS = frozenset(
    [
        "president",
        "prime",
        "minister",
        "ambassador",
        "envoy",
        "secretary",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "chairman",
        "chair",
        "head",
        "leader",
        "director",
        "governor",
        "gov",
        "mayor",
        "chief",
        "official",
        "officer",
        "ceo",
        "founder",
        "general",
        "deputy",
        "foreign",
        "defence",
        "defense",
        "extraordinary",
        "plenipotentiary",
        "senator",
        "sen",
        "representative",
        "rep",
        "king",
        "queen",
        "premier",
        "chancellor",
        "commissioner",
        "lieutenant",
        "colonel",
        "attorney",
        "judge",
        "justice",
        "coach",
        "adviser",
        "advisor",
        "analyst",
        "professor",
        "lecturer",
    ]
)
_NOT_NAMES = frozenset({"The", "He", "She", "It", "They", "We", "I", "This", "That", "In", "On", "At", "But", "And"})


@dataclass(frozen=True)
class Spoken:
    start: int
    end: int
    speaker: str  # as the article names them (a name where one is known)
    words: frozenset[str]  # every word the article describes the speaker with, folded


def document_text(index: Index, source: str) -> tuple[str, list[Passage]]:
    """The document's text as its chunks hold it (offsets as in the document) and its passages."""
    passages = article_passages(index, source)
    if not passages:
        return "", []
    buffer = [" "] * max(p.end for p in passages)
    for passage in passages:
        buffer[passage.start : passage.end] = passage.text
    return "".join(buffer), passages


def name_run(phrase: str) -> str | None:
    """The person's name in a speaker phrase: the run of capitalized words that are not titles,
    nationalities or possessives that follows a title ("Sri Lankan Prime Minister Ranil
    Wickremesinghe" -> "Ranil Wickremesinghe"), else the first such run ("Ashok Kumar, Ambassador
    of India" -> "Ashok Kumar"); None for "he" or "the ambassador"."""
    runs: list[tuple[bool, list[str]]] = []  # (follows a title, its words)
    run: list[str] = []
    after_title = False
    previous_title = False
    for token in re.findall(r"[\w’'.-]+|[,:;]", phrase):
        bare = token.strip(".").lower()
        is_title = bare in _ROLE_WORDS
        is_name = (
            token[:1].isupper()
            and token not in _NOT_NAMES
            and not is_title
            and not re.search(r"(ian|ese|ish|ean|ni|kan)$|['’]s$", token)
        )
        if is_name:
            if not run:
                after_title = previous_title
            run.append(token)
        elif run:
            runs.append((after_title, run))
            run = []
        previous_title = is_title
    if run:
        runs.append((after_title, run))
    chosen = next((words for titled, words in runs if titled), runs[0][1] if runs else None)
    return " ".join(chosen) if chosen else None


def surname(phrase: str) -> str | None:
    run = name_run(phrase)
    return run.split()[-1] if run else None


def descriptions(text: str) -> dict[str, set[str]]:
    """For each name, the words the article describes it with: the titles written before it
    ("Indian Ambassador Ashok Kumar", "Ambassador of Belarus in India, Mikhail Kasko") and an
    apposition after it ("Ashok Kumar, Ambassador of India to Belarus"). Where a title places
    its holder ("to Belarus", "in India") the place is not who they are: the ambassador of
    India to Belarus is not a Belarusian ambassador."""
    found: dict[str, set[str]] = {}
    name = r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?"
    for m in re.finditer(
        rf"(?P<before>(?:[A-Z][\w’'-]*\s+){{0,4}})(?P<name>{name})(?:,\s+(?P<after>[^,:;.()]{{3,90}}))?", text
    ):
        key = surname(m.group("before") + m.group("name"))
        if key:
            words = _who_words(m.group("before") + " " + m.group("name"))
            found.setdefault(key, set()).update(words | _title(m.group("after") or ""))
    # "Ambassador of Belarus in India, Mikhail Kasko": a title before the name, set off by a comma
    title = r"[A-Z][\w’'-]*(?:\s+(?:of|for|the|in|to|[A-Z][\w’'-]*)){0,6}"
    for m in re.finditer(rf"(?P<pre>{title}),\s+(?P<name>[A-Z][\w’'-]+\s+[A-Z][\w’'-]+)", text):
        key = surname(m.group("name"))
        if key:
            found.setdefault(key, set()).update(_title(m.group("pre")))
    return found


def _title(phrase: str) -> set[str]:
    """The words of an apposition that gives a title ("Ambassador of India to Belarus"), or none:
    "Ashok Kumar, held a meeting with President Lukashenko" does not make him a president."""
    words = _who_words(phrase)
    head = normalize(phrase).split()[:3]
    if not set(head) & _ROLE_WORDS or any(
        w.islower() and w not in ("of", "for", "the", "and") for w in phrase.split()[:3]
    ):
        return set()
    return words


def _who_words(phrase: str) -> set[str]:
    """A title's words up to where it places its holder ("to", "in", "at")."""
    kept = []
    for word in normalize(phrase).split():
        if word in ("to", "in", "at"):
            break
        kept.append(word)
    return set(kept)


def attribute(text: str) -> list[Spoken]:
    """Every sentence of the document whose speaker the article states, with that speaker."""
    described = descriptions(text)
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    spoken: list[Spoken] = []
    named: list[str] = []  # named speakers, in order of appearance
    people: list[str] = []  # people the narration has named with a title so far, in order
    display, shared = full_names(text)  # a name's fullest form ("Alexander Lukashenko")
    interview = _interviewee(text, paragraphs)
    header: str | None = None
    previous_quote: str | None = None  # the speaker of a quote that may run on into this paragraph

    def resolve(phrase: str) -> tuple[str, frozenset[str]] | None:
        name = surname(phrase)
        if name:
            named.append(name)
            # where two people share the surname ("Brittney Griner", "Cherelle Griner"), neither
            # first name describes whoever "Griner said" is: only the phrase's own words do
            words = (described.get(name, set()) - shared.get(name, set())) | _who_words(phrase)
            run = (name_run(phrase) or name).rstrip(".")  # "Robert M. Califf." ends a sentence, not a name
            return (run if len(run.split()) > 1 else name), frozenset(words)
        wanted = set(normalize(phrase).split()) - {"the", "he", "she", "of"}
        for candidate in [*reversed(named), *reversed(people)]:  # the latest speaker described so
            if wanted and all(any(_same(w, d) for d in described.get(candidate, ())) for w in wanted):
                return candidate, frozenset(described.get(candidate, set()))
        latest = named[-1] if named else people[-1] if people else None
        if latest and (not wanted or wanted <= {"leader", "head", "state", "president", "minister", "official"}):
            return latest, frozenset(described.get(latest, set()))
        return None

    for number, (p_start, p_end) in enumerate(paragraphs):
        paragraph = text[p_start:p_end].strip()
        if not paragraph:
            continue
        if paragraph.endswith(":") and len(paragraph.split()) <= 25 and surname(paragraph):
            header = paragraph[:-1]
            continue
        opens_quote = paragraph[:1] in '"“'
        people.extend(
            key
            for key in map(surname, re.findall(r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*", paragraph))
            if key and described.get(key, set()) & _ROLE_WORDS
        )
        sentences = split_sentences(text, p_start, p_end)
        if interview and number > 0 and not _QUESTION_END.search(paragraph):
            who = resolve(interview)
            if who:
                spoken += [Spoken(s, e, who[0], who[1]) for s, e in sentences if "interview" not in text[s:e].lower()]
            continue
        paragraph_speaker = None
        for pattern in (_AFTER_QUOTE, _SUBJECT):
            m = pattern.search(paragraph)
            if m:
                paragraph_speaker = resolve(m.group("who"))
                break
        if paragraph_speaker is None and opens_quote:
            paragraph_speaker = resolve(header) if header else previous_quote_speaker(previous_quote, resolve)
        inside = False
        for s, e in sentences:
            sentence = text[s:e]
            own = _ACCORDING.search(sentence) or _SUBJECT.search(sentence) or _AFTER_QUOTE.search(sentence)
            who = resolve(own.group("who")) if own else None
            quoted = inside or sentence.lstrip()[:1] in '"“'
            if who is None and quoted:
                who = paragraph_speaker
            if who is not None and (quoted or own) and "interview" not in sentence.lower():
                spoken.append(Spoken(s, e, who[0], who[1]))
            inside = still_quoting(inside, sentence)
        header = header if opens_quote else None
        previous_quote = paragraph_speaker[0] if paragraph_speaker and ("“" in paragraph or '"' in paragraph) else None
    return [Spoken(sp.start, sp.end, display.get(sp.speaker, sp.speaker), sp.words) for sp in spoken]


def full_names(text: str) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Each name's fullest form in the article, by its last word, or by its first where that is
    how the article calls them ("Wei said" after "Wei Fenghe": the family name written first);
    and, for a last word two people share, their other names ("Griner": "brittney", "cherelle"),
    a bare "Griner" being neither for sure."""
    forms: dict[str, set[str]] = {}
    for run in re.findall(r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*", text):
        name = name_run(run)
        if name:
            forms.setdefault(name.split()[-1], set()).add(name)
    fullest = {last: max(names, key=len) for last, names in forms.items()}
    shared: dict[str, set[str]] = {}
    for last, names in forms.items():
        firsts = {n.split()[0] for n in names if len(n.split()) > 1}
        if len(firsts) > 1:  # two people: a bare surname is not given either full name
            shared[last] = {normalize(f) for f in firsts}
            del fullest[last]
    by_first: dict[str, set[str]] = {}
    for name in fullest.values():
        if len(name.split()) > 1:
            by_first.setdefault(name.split()[0], set()).add(name)
    surnames = {last for last, names in forms.items() if any(len(n.split()) > 1 for n in names)}
    for first, names in by_first.items():
        if first not in surnames and len(names) == 1:
            fullest[first] = next(iter(names))
    return fullest, shared


def still_quoting(inside: bool, sentence: str) -> bool:
    """Whether a quotation is still open after the sentence (it opened here or before and did
    not close)."""
    for mark in re.findall(r"[“”\"]", sentence):
        inside = True if mark == "“" else False if mark == "”" else not inside
    return inside


def previous_quote_speaker(name: str | None, resolve) -> tuple[str, frozenset[str]] | None:
    return resolve(name) if name else None


def _interviewee(text: str, paragraphs: list[tuple[int, int]]) -> str | None:
    """An interview (its questions are paragraphs ending in "?"): whom it is with."""
    questions = sum(1 for s, e in paragraphs if _QUESTION_END.search(text[s:e]))
    if questions < 2 or not paragraphs:
        return None
    intro = text[paragraphs[0][0] : paragraphs[0][1]]
    if "interview" not in intro.lower():
        return None
    m = _SUBJECT.search(intro) or re.search(rf"interview\s+with\s+(?P<who>{_NAME})", intro)
    return m.group("who") if m else None


def _same(a: str, b: str) -> bool:
    """One word is the other or its adjective ("India"/"Indian", "Belarus"/"Belarusian")."""
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def is_speaker(asked: str, spoken: Spoken) -> bool:
    """Whether the person asked about is the sentence's speaker: by name when the question names
    them ("Chinese Defense Minister Wei Fenghe" is whoever the article calls Wei Fenghe), else
    by every word of the title asked ("the Indian ambassador")."""
    name = name_run(asked)
    if name:
        # every word of the name asked: "Cherelle Griner" is not Brittney Griner
        known = {normalize(w) for w in spoken.speaker.split()} | set(spoken.words)
        return all(normalize(w) in known for w in name.split())
    wanted = set(normalize(asked).split()) - {"the", "a", "an", "of", "s", "mr", "ms", "mrs", "dr"}
    return bool(wanted) and all(any(_same(w, d) for d in spoken.words) for w in wanted)


def naming_sentence(text: str, spoken: Spoken) -> tuple[int, int] | None:
    """The latest sentence up to the spoken one that names its speaker: what a label of their
    name rests on when their words do not name them."""
    last = spoken.speaker.split()[-1]
    found = None
    for start, end in split_sentences(text, 0, spoken.end):
        if re.search(rf"\b{re.escape(last)}\b", text[start:end]):
            found = (start, end)
    return found


def evidence_at(text: str, passages: list[Passage], start: int, end: int, score: float) -> Evidence:
    passage = next((p for p in passages if p.start <= start < p.end), passages[0])
    return Evidence(passage, text[start:end], start, end, score, 0.0, 0.0)


def answer(turn: Turn) -> Iterator[Event]:
    parts = said_parts(turn.question)
    asked, topic = parts if parts else ("", "")
    said = not_said(turn.question)
    evidence: list[Evidence] = []
    speakers: list[str] = []
    named_in: list[Evidence | None] = []  # the sentence that names the speaker, when theirs does not
    sources = list(dict.fromkeys(p.source for p in turn.passages))
    for rank, source in enumerate(sources):
        text, passages = document_text(turn.index, source)

        for spoken in attribute(text):
            if not is_speaker(asked, spoken):
                continue
            sentence = text[spoken.start : spoken.end]
            # about the topic asked (its words in the sentence), then the articles' retrieval order
            relevance = len(content_stems(topic) & content_stems(sentence)) if topic else 0
            evidence.append(
                evidence_at(text, passages, spoken.start, spoken.end, relevance + specific(sentence) - rank / 100)
            )
            speakers.append(spoken.speaker)
            span = None if spoken.speaker.split()[-1] in sentence else naming_sentence(text, spoken)
            named_in.append(evidence_at(text, passages, *span, 0.0) if span else None)
    if topic:
        # only what they said of the topic asked; nothing when they speak of other things only
        kept = [i for i, ev in enumerate(evidence) if ev.score > 0.5]
        evidence, speakers, named_in = (
            [evidence[i] for i in kept],
            [speakers[i] for i in kept],
            [named_in[i] for i in kept],
        )
    if not evidence:
        compose_refusal(turn, said, [], "not found: no sentence the articles attribute to them")
        return
    # the most telling of their sentences (about the topic, then the fullest), shown in their order
    best = sorted(range(len(evidence)), key=lambda i: (-evidence[i].score, -len(content_stems(evidence[i].text))))
    best = best[:MAX_POINTS]
    best.sort(key=lambda i: (sources.index(evidence[i].passage.source), evidence[i].start))
    shown = evidence + [ev for ev in named_in if ev is not None]

    def grounds_of(i: int) -> tuple[int, ...]:
        namer = named_in[i]
        return (i,) if namer is None else (i, shown.index(namer))

    def label_of(i: int) -> str:
        # their full name where their sentences write it, else the name the quote itself uses
        namer = named_in[i]
        written = f"{evidence[i].text} {namer.text if namer else ''}"
        return speakers[i] if all(w in written for w in speakers[i].split()) else speakers[i].split()[-1]

    yield from compose(
        turn, shown, (Found(evidence[i].text, grounds_of(i), label=label_of(i), quoted=True) for i in best)
    )
