"""How the embedder computes: the fastest arithmetic this CPU runs that keeps the vectors.

Measured on all-MiniLM-L6-v2 (bench/bench.py): bfloat16 autocast — matrix products in bf16,
layer norms, softmax and pooling in float32 — gives vectors whose cosine to float32 is above
0.9999, and is ~1.7x faster on a CPU with AVX512_BF16 (2.5-3x with AMX). Without those
instructions bf16 is emulated and slower than float32. ONNX Runtime float32 was measured no
faster than torch float32 on an AVX-512 CPU, and its int8 graph too lossy (cosine 0.95).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError

AUTO = "auto"
FP32 = "fp32"
BF16 = "bf16"
BACKENDS = (FP32, BF16)
# /proc/cpuinfo flags of the instructions that make bf16 products native.
BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str]:
    """The feature flags the kernel reports for this CPU; empty where it reports none."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() in ("flags", "Features"):
            return frozenset(value.split())
    return frozenset()


def available(flags: frozenset[str]) -> tuple[str, ...]:
    """The backends that run at native speed on a CPU with these flags, fastest first."""
    return (BF16, FP32) if flags & BF16_FLAGS else (FP32,)


def choose(requested: str, flags: frozenset[str]) -> str:
    """The backend to use: the fastest available for 'auto', else the one asked for."""
    requested = (requested or AUTO).strip().lower()
    if requested == AUTO:
        return available(flags)[0]
    if requested not in BACKENDS:
        raise InputError(f"unknown embedding backend {requested!r}: use {AUTO}, {', '.join(BACKENDS)}")
    if requested not in available(flags):
        raise InputError(f"embedding backend {requested} needs a CPU with {' or '.join(sorted(BF16_FLAGS))}")
    return requested


@contextlib.contextmanager
def precision(backend: str) -> Iterator[None]:
    """Run the model's forward passes in the backend's arithmetic."""
    if backend == BF16:
        import torch

        with torch.autocast("cpu", dtype=torch.bfloat16):
            yield
    else:
        yield
