"""Fan an evaluation out over a Dask cluster: batches of questions go to workers on any number
of machines, each worker answering with its own pipeline (and, set in its environment, its own
model server: RAG_LLM_URL; and the shared search store: RAG_STORE). Rows come back in question
order, scored exactly as `rag eval` scores them in one process.

Start a cluster with Dask's own commands, one worker per model server:
    dask scheduler --host 0.0.0.0
    RAG_LLM_URL=http://gpu1:8000/v1 dask worker tcp://HEAD:8786 --nthreads 1
then `rag eval questions.jsonl --cluster tcp://HEAD:8786`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ..errors import ClusterError, InputError, RagError
from ..settings import ENV_VARS, Settings

BATCH = 8  # questions per task: large enough to amortize a round trip, small enough to balance
CONNECT_TIMEOUT_S = 10
# What a worker's own environment decides: the machine-local parts of the configuration.
WORKER_OWNED = ("RAG_LLM_URL", "RAG_STORE", "RAG_N_THREADS", "RAG_MODEL")


def worker_settings(settings: Settings, environ: dict[str, str] | None = None) -> Settings:
    """The coordinator's settings with what this worker's machine sets for itself."""
    environ = dict(os.environ if environ is None else environ)
    own = {ENV_VARS[var]: environ[var] for var in WORKER_OWNED if environ.get(var)}
    return settings.replace(**own)


def answer_batch(questions: list[Any], settings: Settings) -> list[dict[str, Any]]:
    """Runs on a worker: the whole pipeline for each question, scored."""
    from pathlib import Path

    from ..answering import ask
    from .eval import question_day, score

    local = worker_settings(settings)
    return [
        score(
            q, ask(q.question, as_of=question_day(q, local), settings=local), Path(local.corpus), Path(local.index_path)
        )
        for q in questions
    ]


def answer_on_cluster(
    questions: list[Any],
    settings: Settings,
    scheduler: str,
    progress: Callable[[int], None] | None = None,
    batch: int = BATCH,
    timeout: float = CONNECT_TIMEOUT_S,
) -> list[dict[str, Any]]:
    """Every question answered on the cluster at `scheduler`, rows in question order."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--cluster needs Dask's distributed package: run `make setup`") from None
    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler} ({type(exc).__name__})") from None
    try:
        if not client.scheduler_info().get("workers"):
            client.wait_for_workers(1, timeout=timeout)
        batches = [questions[i : i + batch] for i in range(0, len(questions), batch)]
        futures = client.map(answer_batch, batches, settings=settings, pure=False)
        rows: list[dict[str, Any]] = []
        # Collected in question order while the workers go on with later batches.
        for future in futures:
            try:
                done = future.result()
            except RagError:
                raise
            except Exception as exc:
                raise ClusterError(f"a Dask worker failed: {type(exc).__name__}: {exc}") from None
            rows.extend(done)
            if progress:
                progress(len(done))
        return rows
    except TimeoutError:
        raise ClusterError(f"the Dask scheduler at {scheduler} has no workers") from None
    finally:
        client.close()
