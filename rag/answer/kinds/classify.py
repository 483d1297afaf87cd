"""Which kind of question is asked: the shape the answer must take.

Rules over the question's opening words, measured by a confusion table on the kinds dev set
(`rag eval eval/kinds_dev.jsonl` prints it). A question none of them claims is a fact, today's
short-answer path."""

from __future__ import annotations

import re

FACT = "fact"
YESNO = "yesno"
LIST = "list"
SUMMARY = "summary"
REASON = "reason"
SAID = "said"
TIMELINE = "timeline"
COMPARISON = "comparison"
KINDS = (FACT, YESNO, LIST, SUMMARY, REASON, SAID, TIMELINE, COMPARISON)

_SPEECH_VERBS = (
    r"say|said|says|tell|told|think|thinks|thought|stated|emphasi[sz]e|emphasi[sz]ed|stress|stressed|"
    r"claim|claimed|argue|argued|describe|described|remark|remarked|feel|feels|comment|commented"
)
# "What did the ambassador say (about …)?", "How did X describe …?", "What is X's view on …?".
# Nothing may follow the verb but what it is about: "What did the court say the Commission had
# proven?" asks for a fact.
_ABOUT = r"(?P<rest>(?:\s+(?:about|on|of|regarding|concerning|to|in|at|during|after)\b.*)?)"
SAID_FORM = re.compile(
    r"^(?:what|how)\s+(?:did|does|do|has|have|had|was|is|were|are)\s+(?P<who>.+?)\s+(?:(?:also|ever|publicly)\s+)?"
    rf"(?:(?:{_SPEECH_VERBS})(?:\s+(?:it|them|this|that|reporters|journalists|\w+(?=\s+about\b)))?{_ABOUT}|describe[sd]?\s+(?P<described>.+))$|"
    r"^what\s+(?:was|is|were|are)\s+(?P<whose>.+?)['’]s?\s+(?:view|views|stance|opinion|reaction|"
    r"comments|words|message|assessment|take)\b(?P<rest2>.*)$",
    re.I,
)
_SUMMARY = re.compile(
    r"^(?:please\s+)?(?:summari[sz]e|sum up|outline|recap|describe|give\s+(?:me\s+)?(?:an?\s+|the\s+)?"
    r"(?:brief\s+|short\s+|quick\s+)?(?:overview|summary|outline|rundown|gist)|(?:an?\s+)?(?:overview|summary)\s+of|"
    r"tell\s+me\s+about|what\s+(?:are|were)\s+the\s+(?:main|key|most\s+important|major)\s+(?:points|takeaways|"
    r"findings|highlights|themes|issues)|what\s+(?:is|was)\s+the\s+(?:article|story|report|piece|interview|"
    r"gist)\b|what\s+do(?:es)?\s+(?:the\s+)?(?:articles?|reports?|stories|story|news|interview)\s+"
    r"(?:say|report|tell|cover)|what\s+(?:is|was)\s+(?:said|reported|known)\s+about|what\s+happened\s+(?:at|in|"
    r"during)\b)",
    re.I,
)
# a plural noun: a word ending in -s that is not a verb, a pronoun or a singular in -s
_PLURAL = (
    r"(?:(?!(?:was|has|does|is|its|his|this|thus|yes|always|perhaps|across|whereas|news|series|species|politics|"
    r"economics|physics|means|less|unless|bus|gas|plus|status|analysis|basis|crisis|us|as)\b)\w+(?<![sui])s|people|goods)"
)
# a word before the noun that reads as an adjective ("Indian products", "other areas"): "which
# airline flies" is a noun and its verb
_ADJECTIVE = (
    r"(?:(?:(?-i:[A-Z])\w*|\w+(?:al|an|ese|ic|ive|ish|ern|ary|ous|ful)|other|main|key|major|specific|new|old|big|small|"
    r"heavy|top)\s+)"
)
_COUNTED = re.compile(r"\b(?:two|three|four|five|six|both)\b", re.I)
# "Which two countries …" counts what it asks for: a fact of a few names, answered as one.
_LIST = re.compile(
    r"^(?:please\s+)?(?:list|enumerate)\b|^(?:please\s+)?(?:name|identify)\s+(?:\w+\s+){0,3}?"
    rf"{_PLURAL}\b|^(?:what|which)\s+(?:are|were)\s+(?:all\s+)?the\s+(?:\w+\s+)?{_PLURAL}\s+(?:that|which|who|"
    r"of|in|on|for|to|with|between|from|discussed|mentioned|named|listed|offered|covered)\b|"
    rf"^(?:what|which)\s+(?!(?:two|three|four|five|six|both)\b){_ADJECTIVE}?{_PLURAL}\s+"
    r"(?:did|do|does|have|has|had|will|would|could|can|are|were)\b|"
    rf"^(?:(?:from|in|to|of|on|at|for|with)\s+)?which\s+(?!(?:two|three|four|five|six|both)\b){_ADJECTIVE}?{_PLURAL}\b(?!\s+(?:is|was)\b)|^who\s+(?:are|were)\s+(?:all\s+)?the\b.*\b"
    rf"{_PLURAL}\b",
    re.I,
)
_REASON = re.compile(
    r"^(?:why|for\s+what\s+reasons?|what\s+(?:is|was|were|are)\s+the\s+(?:reasons?|causes?|purpose|motives?|"
    r"goal|aim|rationale)\b|what\s+(?:caused|led\s+to|prompted|drove|motivated)\b|"
    r"how\s+(?:does|did|do|will|would|can|could|is|are|was|were|has|have)\b(?!\s+(?:many|much|long|old|far|often|"
    r"big|large|soon)\b))",
    re.I,
)
_TIMELINE = re.compile(
    r"\b(?:timeline|chronolog\w*|in\s+(?:chronological\s+)?order|sequence\s+of\s+events|what\s+happened\s+"
    r"(?:first|next|then|after)|and\s+when\b|step\s+by\s+step|over\s+the\s+years|key\s+(?:dates|milestones|"
    r"stages|events)|milestones|history\s+of)",
    re.I,
)
_COMPARISON = re.compile(
    r"^(?:please\s+)?(?:compare|contrast)\b|\b(?:differences?|similarit(?:y|ies))\s+between\b|\bversus\b|\bvs\.?\s|"
    r"^how\s+(?:does|did|do|is|are|was|were)\s+.+\s+(?:compare|differ)\b|^in\s+what\s+ways?\s+(?:does|do|did)\b",
    re.I,
)
_YESNO = re.compile(
    r"^(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|shall|may|might|must|isn['’]t|"
    r"aren['’]t|wasn['’]t|didn['’]t|doesn['’]t|hasn['’]t|haven['’]t)\b",
    re.I,
)
# "Is it X or Y?" asks which, not whether.
_ALTERNATIVE = re.compile(r"\bor\b(?!\s+not\b)", re.I)


def classify(question: str) -> str:
    """The question's kind (one of KINDS). The order matters: "What are the main points …" is a
    summary before it is a list, "How did X describe …" what someone said before a how."""
    q = " ".join(question.strip().rstrip("?.!").split())
    if _COMPARISON.search(q):
        return COMPARISON
    if _TIMELINE.search(q):
        return TIMELINE
    if SAID_FORM.match(q):
        return SAID
    if _SUMMARY.match(q):
        return SUMMARY
    if _REASON.match(q):
        return REASON
    if _LIST.match(q):
        # "Who are the two foreign ministers?" counts the names it wants: a fact of a few names
        asked_as_request = re.match(r"^(?:please\s+)?(?:list|name|enumerate|identify)\b", q, re.I)
        return LIST if asked_as_request or not _COUNTED.search(q) else FACT
    if _YESNO.match(q) and not _ALTERNATIVE.search(q):
        return YESNO
    return FACT


def said_parts(question: str) -> tuple[str, str] | None:
    """Who is asked about and what about ("What did the ambassador say about trade?" ->
    ("the ambassador", "trade")); None when the question is not of that form."""
    m = SAID_FORM.match(" ".join(question.strip().rstrip("?.!").split()))
    if not m:
        return None
    who = m.group("who") or m.group("whose") or ""
    rest = m.group("rest") or m.group("described") or m.group("rest2") or ""
    rest = re.sub(r"^\s*(?:about|on|of|regarding|concerning|to)\b", "", rest.strip(), flags=re.I).strip()
    return who.strip(), rest


# The words that ask rather than say what about: "List the …", "Summarize what the articles say
# about …", "Give an overview of …". Searched and scored without them ("list" would find "the
# list of industries").
_REQUEST = re.compile(
    r"^(?:please\s+)?(?:(?:list|name|enumerate|identify|summari[sz]e|sum\s+up|outline|recap|describe|compare|"
    r"contrast)\b(?:\s+(?:for\s+me|briefly))?|give\s+(?:me\s+)?(?:an?\s+|the\s+)?(?:brief\s+|short\s+|quick\s+)?"
    r"(?:overview|summary|outline|rundown|gist|timeline|chronology|list)(?:\s+of)?|tell\s+me\s+about|"
    r"what\s+(?:are|were)\s+the\s+(?:main|key|most\s+important|major)\s+\w+(?:\s+(?:of|about|on|in))?|"
    r"what\s+do(?:es)?\s+(?:the\s+)?\w+\s+(?:say|report|tell|cover)(?:\s+(?:about|on))?)\s*",
    re.I,
)
_ARTICLES_SAY = re.compile(r"^(?:what\s+)?(?:the\s+)?articles?\s+(?:say|report)\s+(?:about|on)\s+", re.I)
# when it was reported is not what it is about: "… flight as reported in late August 2021"
_AS_REPORTED = re.compile(r",?\s+as\s+(?:reported|of|told)\b.*$", re.I)


def request_removed(question: str) -> str:
    """What the question is about, without the words that ask for a list, a summary … (the
    question itself when it is nothing but the request)."""
    return topic_of(question) or question


def topic_of(request: str) -> str:
    """The request's words taken out: "" when nothing else is asked ("Give an overview of")."""
    text = _REQUEST.sub("", request.strip().rstrip("?.!")).strip()
    text = _AS_REPORTED.sub("", _ARTICLES_SAY.sub("", text)).strip()
    return "" if re.fullmatch(r"(?:of|about|on)?", text, re.I) else text
