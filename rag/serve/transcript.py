"""A conversation as Markdown, to keep: each question, its answer, the quotes it rests on and
where each quote is (file, PDF page, date, character offsets), so every claim can be checked later."""

from __future__ import annotations

import re

from ..schema import Answer

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def _plain(text: str) -> str:
    """Document and question text shown as written, never read as Markdown markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _answer_text(text: str) -> str:
    """The answer with its markers kept as [n] (escaped everywhere else)."""
    return re.sub(r"\\\[(\d+)\\\]", r"[\1]", _plain(text))


def _code(name: str) -> str:
    """A file name as a code span, however many backticks it holds."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", name)), default=0) + 1)
    pad = " " if "`" in name else ""
    return f"{fence}{pad}{name}{pad}{fence}"


def conversation_markdown(answers: list[Answer], title: str = "Conversation with the articles") -> str:
    lines = [f"# {title}", ""]
    for number, answer in enumerate(answers, 1):
        lines += [f"## {number}. {_plain(answer.question)}", ""]
        if answer.search_query and answer.search_query != answer.question:
            lines += [f"*Searched for: {_plain(answer.search_query)}*", ""]
        # an answer of points keeps one line a point: a Markdown list
        lines += ["\n".join(_answer_text(line) for line in answer.text.split("\n") if line.strip()), ""]
        if not answer.answered:
            lines += ["*Not in the articles.*", ""]
        if answer.citations:
            lines += ["Sources:" if answer.answered else "Closest passages:", ""]
        for c in answer.citations:
            page = f", p. {c.page}" if c.page is not None else ""
            where = _code(c.source) + page + (f", {c.date}" if c.date else "") + f", characters {c.start}–{c.end}"
            lines += [f"- [{c.n}] {_plain(c.title)} ({where})", f"  > {_plain(c.quote)}"]
        if answer.citations:
            lines.append("")
        for warning in answer.warnings:
            lines += [f"*Note: {_plain(warning)}*", ""]
    if not answers:
        lines += ["No questions asked yet.", ""]
    return "\n".join(lines)
