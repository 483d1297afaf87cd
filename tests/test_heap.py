from pathlib import Path

from rag import heap


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def fragmented_heap() -> list[bytearray]:
    """~100 MB in blocks the heap holds (below malloc's mmap threshold), of which every eighth
    stays alive: the heap cannot shrink from its top, only a trim gives the freed runs back."""
    blocks = [bytearray(20_000) for _ in range(5_000)]
    return blocks[::8]


def test_memory_freed_by_the_last_answer_goes_back_to_the_system():
    before = rss_mb()
    with heap.answering():
        kept = fragmented_heap()
        grown = rss_mb()
    after = rss_mb()
    assert grown - before > 80, (before, grown)  # the allocation was real
    assert after - before < 40, (before, grown, after)
    del kept


def test_an_answer_still_running_keeps_the_heap_as_it_is():
    with heap.answering():
        with heap.answering():
            kept = fragmented_heap()
            grown = rss_mb()
        # one answer still runs: nothing was trimmed under it
        assert rss_mb() > grown - 20
    del kept
