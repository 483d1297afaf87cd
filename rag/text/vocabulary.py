"""Word lists, as data in one place: what the text helpers, the reader, the chunker, the
follow-up rewriter and the example picker treat as stopwords, dates, numbers, question words
and not-a-name. Change a list here and every module reading it follows."""

from __future__ import annotations

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "let",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "said",
        "says",
        "say",
        "according",
        "per",
        "via",
        "us",
        "many",
        "much",
        "tell",
        "told",
        "give",
        "given",
        "name",
        "named",
        "list",
        "mention",
        "mentioned",
        "describe",
        "described",
    ]
)

# Words that pick one of a series: "the seventh round" is not answered by "the eighth round".
SEQUENCE_WORDS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
                            "tenth", "eleventh", "twelfth", "next", "previous"})  # fmt: skip

MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")  # fmt: skip
# Words that make a phrase a date: months, weekdays, and the days named relative to today.
DATE_WORDS = frozenset(MONTH_NAMES) | frozenset({"monday", "tuesday", "wednesday", "thursday", "friday",
                                                 "saturday", "sunday", "today", "yesterday", "tomorrow"})  # fmt: skip
NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "none", "zero",
                           "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion", "trillion", "dozen",
                           "dozens", "hundreds", "thousands", "millions", "billions", "half", "percent"})  # fmt: skip


# Questions: what a question opens with ("The articles do not say who …"), and what makes a
# short follow-up a question of its own.
WH_WORDS = frozenset({"who", "whom", "whose", "what", "what's", "when", "where", "which", "why", "how"})
QUESTION_WORDS = frozenset({"who", "what", "when", "where", "which", "why", "how", "whom", "whose", "did", "does", "do", "is"})  # fmt: skip
POSSESSIVES = frozenset({"his", "her", "hers", "its", "their", "theirs"})

# Words whose trailing period does not end a sentence.
ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "lt", "col", "maj", "capt",
    "sgt", "gov", "sen", "rep", "pres", "no", "vs", "etc", "inc", "ltd", "co", "corp",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "e.g", "i.e", "u.s", "u.k", "u.n", "approx", "fig", "ft", "mt",
})  # fmt: skip

# Capitalised words that make a "name" something other than a person's name.
NOT_A_NAME = frozenset(
    """Affairs Ministry Minister Department Office Agency Council Committee Commission Union Republic State
    States Kingdom Government Party Court House Senate Congress Parliament University College School Bank
    Company Group Corporation Association Organization Organisation Federation Foundation Institute News
    Times Post Street Road River City County Province District Center Centre Museum Hospital Airport Station
    Park Hall Island Lake Sea Bay Act Bill Treaty Agreement Summit Conference Award Awards Prize Cup Trophy
    Medal Championship League Team Club Festival Series Show Album Song Film Movie Book Day Week Year Season
    Game Games Network Media Records Studios Pictures Entertainment Airlines Motors Technologies Inc Ltd Corp
    General Lieutenant Colonel Major Admiral Sergeant Captain President Prime Secretary Ambassador Governor
    Senator Mayor Chairman Director Coach King Queen Prince Princess Lord Sir Dr Mr Mrs Ms Saint St The This
    That These Those Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    May June July August September October November December On In At As But And For Of To By After Before
    When While If""".split()  # noqa: SIM905 (a word list reads best as words)
)
CAPITALIZED_PRONOUNS = frozenset("It This That These Those There Here He She They We You I His Her Its Their".split())  # noqa: SIM905

# Past forms of irregular verbs and their base: a question asks "When did the war begin?" of a
# sentence that says "began", "Who did Modi meet?" of "met"; the stemmer cannot see these as one
# word. Forms that are also common nouns or names ("found", "left", "saw", "rose", "shot") are
# left out: mapping them would join unrelated words.
IRREGULAR_PAST = {
    "began": "begin",
    "begun": "begin",
    "became": "become",
    "bought": "buy",
    "brought": "bring",
    "built": "build",
    "caught": "catch",
    "chose": "choose",
    "chosen": "choose",
    "came": "come",
    "drew": "draw",
    "drawn": "draw",
    "drove": "drive",
    "driven": "drive",
    "ate": "eat",
    "eaten": "eat",
    "fell": "fall",
    "fallen": "fall",
    "fought": "fight",
    "flew": "fly",
    "flown": "fly",
    "forgot": "forget",
    "forgotten": "forget",
    "froze": "freeze",
    "frozen": "freeze",
    "gave": "give",
    "given": "give",
    "went": "go",
    "gone": "go",
    "grew": "grow",
    "grown": "grow",
    "held": "hold",
    "kept": "keep",
    "knew": "know",
    "known": "know",
    "led": "lead",
    "lost": "lose",
    "made": "make",
    "meant": "mean",
    "met": "meet",
    "paid": "pay",
    "ran": "run",
    "risen": "rise",
    "rode": "ride",
    "said": "say",
    "sold": "sell",
    "sent": "send",
    "sang": "sing",
    "sung": "sing",
    "sank": "sink",
    "sunk": "sink",
    "spoke": "speak",
    "spoken": "speak",
    "spent": "spend",
    "stood": "stand",
    "stole": "steal",
    "stolen": "steal",
    "struck": "strike",
    "swore": "swear",
    "sworn": "swear",
    "took": "take",
    "taken": "take",
    "taught": "teach",
    "told": "tell",
    "thought": "think",
    "threw": "throw",
    "thrown": "throw",
    "understood": "understand",
    "woke": "wake",
    "won": "win",
    "wore": "wear",
    "worn": "wear",
    "wrote": "write",
    "written": "write",
}

# Turning a question into the clause a refusal quotes ("where did MTZ sign" -> "where MTZ
# signed"): the auxiliaries that invert, and the words that open a noun phrase.
DO_AUXILIARIES = frozenset({"do", "does", "did"})
BE_HAVE_AUXILIARIES = frozenset({"is", "are", "was", "were", "has", "have", "had"})
MODAL_AUXILIARIES = frozenset({"will", "would", "can", "could", "should", "may", "might", "must", "shall"})
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our",
                         "my", "your", "some", "any", "each", "every", "both", "all", "no"})  # fmt: skip
# Past forms the clause needs that "-ed" does not make (the reverse of IRREGULAR_PAST's job).
PAST_OF = {"be": "was", "have": "had", "do": "did", "go": "went", "say": "said", "make": "made", "take": "took",
           "give": "gave", "get": "got", "see": "saw", "find": "found", "leave": "left", "tell": "told",
           "hold": "held", "lead": "led", "meet": "met", "win": "won", "lose": "lost", "pay": "paid",
           "send": "sent", "spend": "spent", "sell": "sold", "buy": "bought", "bring": "brought", "build": "built",
           "begin": "began", "become": "became", "come": "came", "choose": "chose", "run": "ran", "write": "wrote",
           "speak": "spoke", "know": "knew", "think": "thought", "keep": "kept", "put": "put", "set": "set",
           "cut": "cut", "hit": "hit", "let": "let", "rise": "rose", "fall": "fell", "grow": "grew",
           "draw": "drew", "fly": "flew", "sign": "signed", "steal": "stole", "shoot": "shot", "break": "broke",
           "wear": "wore", "beat": "beat", "bear": "bore", "feel": "felt", "stand": "stood", "teach": "taught",
           "catch": "caught", "fight": "fought", "seek": "sought", "lend": "lent", "strike": "struck"}  # fmt: skip
# Adverbs between a question's subject and its verb ("When did Modi first visit Minsk?"): the
# verb is the word after them.
VERB_ADVERBS = frozenset({"first", "last", "also", "ever", "never", "not", "still", "already", "just", "finally",
                          "recently", "originally", "initially", "previously", "actually", "really", "again"})  # fmt: skip
PARTICIPLE_ENDINGS = ("ed", "en", "ing")
# Words that stand between a determiner and its noun in questions ("the next round").
ADJECTIVES = frozenset({"next", "last", "new", "former", "current", "previous", "upcoming", "main", "top", "largest",
                        "biggest", "first", "second", "third", "latest", "recent", "old", "young", "national",
                        "federal", "local", "foreign", "joint", "official", "annual"})  # fmt: skip
