"""The server's heap: what the last answer in flight freed goes back to the system. Measured in
a fresh process, whose heap holds nothing freed before."""

import json
import subprocess
import sys

SCENARIO = """
import json
from pathlib import Path
from rag.serve import heap

def rss():
    line = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024

def fragmented_heap():
    # ~100 MB in blocks the heap holds (below malloc's mmap threshold), every eighth kept alive:
    # the heap cannot shrink from its top, only a trim gives the freed runs back
    blocks = [bytearray(20_000) for _ in range(5_000)]
    return blocks[::8]

before = rss()
with heap.answering():
    with heap.answering():
        kept = fragmented_heap()
        grown = rss()
    still_running = rss()
after = rss()
print(json.dumps({"before": before, "grown": grown, "still_running": still_running, "after": after}))
"""


def test_the_last_answer_in_flight_gives_freed_memory_back():
    run = subprocess.run([sys.executable, "-c", SCENARIO], capture_output=True, text=True, check=True)
    mb = json.loads(run.stdout)
    assert mb["grown"] - mb["before"] > 80, mb  # the allocation was real
    # one answer still running: nothing is trimmed under it
    assert mb["still_running"] > mb["grown"] - 20, mb
    # the last one done: the freed ~88 MB go back, the ~12 MB kept stay
    assert mb["after"] - mb["before"] < 40, mb
