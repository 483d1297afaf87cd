import os
from pathlib import Path

import pytest

from rag.answer.generation import (
    LlamaGenerator,
    PromptStates,
    Remembered,
    SavedStarts,
    completion_prompt,
    cpu_features,
)
from rag.answer.models import packaged_model
from rag.errors import RagError


def test_truncated_gguf_is_a_clear_error(tmp_path):
    bad = tmp_path / "truncated.gguf"
    bad.write_bytes(packaged_model().read_bytes()[:4096])
    with pytest.raises(RagError, match="cannot load model"):
        _ = LlamaGenerator(bad).llm


def test_completion_prompt_for_base_models():
    prompt = completion_prompt([{"role": "system", "content": "Rules."}, {"role": "user", "content": "Q?"}])
    assert prompt == "Rules.\n\nQ?\nAnswer:"


def test_prompt_states_keep_the_most_recent_within_their_budget():
    states = PromptStates(budget_bytes=10)
    states.keep((1, 2, 3), b"aaaa")
    states.keep((1, 2, 4, 5), b"bbbb")
    assert states.best([1, 2, 4, 5, 6])[:3:2] == ((1, 2, 4, 5), 4)
    assert states.best([1, 2, 3, 9])[2] == 3
    states.keep((1, 2, 3), b"aaaa")  # used again: now the most recent
    states.keep((7,), b"cccc")  # over budget: the least recent goes
    assert (1, 2, 4, 5) not in states and (1, 2, 3) in states and len(states) == 2
    assert PromptStates().best([1]) is None


@pytest.mark.model
def test_a_prompt_read_before_resumes_where_its_reading_ended():
    """Asked again after another question, a prompt is not read again: its kept state is
    loaded, only its last token is read, and the reply and its scores are the ones first given."""
    gen = LlamaGenerator(packaged_model(), n_ctx=2048, n_threads=1, remembered_replies=0)
    evidence = " ".join(f"[{i}] In {2000 + i} the harbour handled {7 * i} million tonnes." for i in range(30))

    def messages(year: int) -> list[dict[str, str]]:
        return [
            {"role": "system", "content": "Answer from the evidence."},
            {"role": "user", "content": f"{evidence}\nQuestion: How many tonnes in {year}?"},
        ]

    first = "".join(gen.complete(messages(2013), max_tokens=12))
    first_scores = gen.reply_logprobs(messages(2013), [first])
    "".join(gen.complete(messages(2021), max_tokens=12))
    read: list[int] = []
    real_eval = gen.llm.eval
    gen.llm.eval = lambda tokens: (read.append(len(tokens)), real_eval(tokens))[1]
    again = "".join(gen.complete(messages(2013), max_tokens=12))
    assert again == first
    assert read[0] == 1  # the prompt's last token alone; the rest came from the kept state
    assert gen.reply_logprobs(messages(2013), [first]) == first_scores
    assert len(gen.states) == 2


@pytest.mark.model
def test_a_reply_given_before_is_given_again_without_reading():
    """A greedy reply to the same prompt tokens is remembered: asked again (after another
    question), the model reads and writes nothing. A sampled reply, or another length, is read."""
    gen = LlamaGenerator(packaged_model(), n_ctx=2048, n_threads=1)

    def messages(year: int) -> list[dict[str, str]]:
        return [{"role": "user", "content": f"In {year} the harbour handled 7 million tonnes. How many tonnes?"}]

    first = "".join(gen.complete(messages(2013), max_tokens=12))
    first_scores = gen.reply_logprobs(messages(2013), [first, "NOT FOUND"])
    "".join(gen.complete(messages(2021), max_tokens=12))
    read: list[int] = []
    real_eval = gen.llm.eval
    gen.llm.eval = lambda tokens: (read.append(len(tokens)), real_eval(tokens))[1]
    again = list(gen.complete(messages(2013), max_tokens=12, stream=True))
    assert "".join(again) == first
    # said to be remembered, so an answer counts no token written for it (generated_tokens)
    assert all(isinstance(piece, Remembered) for piece in again)
    assert gen.reply_logprobs(messages(2013), [first, "NOT FOUND"]) == first_scores
    assert read == []
    "".join(gen.complete(messages(2013), max_tokens=11))
    assert read  # another length: read again
    read.clear()
    "".join(gen.complete(messages(2013), max_tokens=12, temperature=0.8))
    assert read  # a sampled reply is read, never remembered


@pytest.mark.model
def test_a_new_process_loads_the_prompts_fixed_start_from_disk(tmp_path):
    """The instructions and worked examples are read once on a machine: a second generator (as
    in a new process) loads the state saved after them, reads only the question's turn, and
    replies as the first did. A broken file is read past, and saved again whole."""
    rules = " ".join(f"Rule {i}: copy the answer from one sentence." for i in range(1, 9))
    messages = [
        {"role": "system", "content": f"Answer from the evidence. {rules}"},
        {"role": "user", "content": "Evidence: [1] The harbour handled 7 million tonnes.\nQuestion: How many tonnes?"},
        {"role": "assistant", "content": "7 million tonnes [1]."},
        {"role": "user", "content": "Evidence: [1] The bridge opened in May 2021.\nQuestion: When did it open?"},
    ]

    def reply_of_a_new_generator() -> tuple[str, list[int], LlamaGenerator]:
        gen = LlamaGenerator(packaged_model(), n_ctx=2048, n_threads=1, saved_starts_dir=tmp_path)
        read: list[int] = []
        real_eval = gen.llm.eval
        gen.llm.eval = lambda tokens: (read.append(len(tokens)), real_eval(tokens))[1]
        return "".join(gen.complete(messages, max_tokens=12)), read, gen

    first, first_read, gen = reply_of_a_new_generator()
    prompt, fixed = gen._prompt(messages)[0], gen._prompt(messages)[4]
    assert fixed >= SavedStarts.SHORTEST and first_read[:3] == [fixed, len(prompt) - 1 - fixed, 1]
    (saved,) = tmp_path.glob("*.state")
    whole = saved.read_bytes()

    again, read, _ = reply_of_a_new_generator()
    assert again == first and read[:2] == [len(prompt) - 1 - fixed, 1]  # the start came from disk

    saved.write_bytes(whole[:-1] + bytes([whole[-1] ^ 1]))  # one bit changed
    after_break, read, _ = reply_of_a_new_generator()
    assert after_break == first and read[:3] == first_read[:3] and saved.read_bytes() == whole


def model_reads(gen: LlamaGenerator) -> list[int]:
    """How many tokens each call of the model's eval reads from now on: empty while the reply
    memory answers, so a test of the model's behaviour can show the model itself was asked."""
    read: list[int] = []
    real_eval = gen.llm.eval
    gen.llm.eval = lambda tokens: (read.append(len(tokens)), real_eval(tokens))[1]
    return read


@pytest.mark.model
def test_packaged_model_answers_deterministically():
    """The same prompt gives the same greedy reply when the model writes it again, and streamed
    it comes token by token. The reply memory is cleared between the two, so the second reply
    is the model's own, not the first one given back."""
    gen = LlamaGenerator(packaged_model(), n_ctx=512)
    messages = [{"role": "user", "content": "Write one sentence about the sea."}]
    first = "".join(gen.complete(messages, max_tokens=8))
    gen.forget_replies()
    read = model_reads(gen)
    pieces = [piece for piece in gen.complete(messages, max_tokens=8, stream=True) if piece]
    assert read and sum(read) > 1  # the model read the prompt's last token and wrote on from it
    assert len(pieces) > 1  # streamed: a piece a token, not the reply in one
    assert first.strip() and "".join(pieces) == first


def cpu_flags() -> set[str]:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


@pytest.mark.skipif(not Path("/proc/cpuinfo").exists(), reason="reads the CPU's flags from /proc/cpuinfo")
@pytest.mark.skipif(bool(os.environ.get("RAG_CPU_KERNELS")), reason="a kernel variant was chosen (make test KERNELS=…)")
@pytest.mark.model
def test_llama_cpp_runs_the_best_kernels_this_cpu_has():
    """The runtime-dispatch build loads the CPU variant for this processor: AVX-512 kernels where
    the CPU has AVX-512F, AVX2 where it has AVX2, Intel's AMX matrix units where it has them
    (the reader reads a prompt ~1.6x faster), never one it lacks."""
    flags, features = cpu_flags(), cpu_features()
    pairs = [
        ("avx2", "AVX2 = 1"),
        ("avx512f", "AVX512 = 1"),
        ("avx512_vnni", "AVX512_VNNI = 1"),
        ("amx_int8", "AMX_INT8 = 1"),
    ]
    for flag, feature in pairs:
        assert (feature in features) == (flag in flags), (flag, features)


@pytest.mark.model
def test_the_model_reads_candidate_replies_and_stays_usable():
    """reply_logprobs scores possible answers with the model's own likelihood; afterwards the
    model generates exactly as before (its cache is left holding the prompt only). The reply
    memory is cleared first, so that the model writes the second reply itself."""
    gen = LlamaGenerator(packaged_model(), n_ctx=512)
    messages = [
        {"role": "system", "content": "Answer from the evidence in a few words."},
        {
            "role": "user",
            "content": "Evidence:\n[1] Ashok Kumar, India's ambassador to Belarus, met the mayor of Minsk.\n\n"
            "Question: Who is India's ambassador to Belarus?",
        },
    ]
    before = "".join(gen.complete(messages, max_tokens=8))
    right, wrong, empty = gen.reply_logprobs(messages, ["Ashok Kumar [1].", "the mayor of Minsk [1].", ""])
    assert len(right) >= 3 and all(lp <= 0 for lp in right + wrong) and empty == []
    assert sum(right) > sum(wrong)
    gen.forget_replies()  # the model itself must write again, from what reply_logprobs left it
    read = model_reads(gen)
    assert "".join(gen.complete(messages, max_tokens=8)) == before
    assert read  # the model was asked, not the reply memory
    assert gen.reply_logprobs(messages, ["Ashok Kumar [1]."])[0] == pytest.approx(right, abs=0.05)


@pytest.mark.model
def test_the_odds_read_just_after_a_reply_are_those_a_fresh_reading_gives():
    """Right after generating, reply_logprobs scores the reply from the logits kept while writing
    it, and reads only NOT FOUND's other token; the odds must be the very ones a fresh reading
    (prompt read again, every candidate token read one by one) gives."""
    gen = LlamaGenerator(packaged_model(), n_ctx=512)
    messages = [
        {"role": "user", "content": "Evidence:\n[1] The bridge was opened in 2021.\n\nQuestion: When was it opened?"}
    ]
    reply = "".join(gen.complete(messages, max_tokens=8)).strip()
    just_after = gen.reply_logprobs(messages, [reply, "NOT FOUND"])
    gen.forget_replies()
    "".join(gen.complete([{"role": "user", "content": "Say the word: hello"}], max_tokens=4))  # holds another prompt
    assert gen.reply_logprobs(messages, [reply, "NOT FOUND"]) == just_after
