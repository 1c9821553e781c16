"""Running a job's streaming queries to their end, and stopping them after their current batch.

The runtime's own stop-file watcher stops queries at once (query.stop() cancels a running batch;
the checkpoint then replays it). Streaming jobs that want a graceful stop give job_session no stop
file and call ``run_queries`` with it instead: when the file appears, each query is stopped only
between two batches (no trigger active), so every batch that started also wrote its outputs.
"""

from __future__ import annotations

import os
import sys
import time
from typing import List, Optional, Sequence

from pyspark.sql.streaming import StreamingQuery

POLL_SECONDS = 0.05


def stop_between_batches(query: StreamingQuery, grace_seconds: float = 60.0) -> None:
    """Stops the query once its current trigger has finished (or after grace_seconds)."""
    deadline = time.monotonic() + grace_seconds
    while query.isActive and time.monotonic() < deadline:
        if not query.status.get("isTriggerActive", False):
            break
        time.sleep(POLL_SECONDS)
    if query.isActive:
        query.stop()


def run_queries(queries: Sequence[StreamingQuery], stop_file: Optional[str], grace_seconds: float = 60.0) -> None:
    """Blocks until every query has ended by itself or the stop file appears; re-raises a query's error."""
    try:
        while any(query.isActive for query in queries):
            if any(query.exception() is not None for query in queries if not query.isActive):
                break
            if stop_file and os.path.exists(stop_file):
                for query in queries:
                    stop_between_batches(query, grace_seconds)
                break
            time.sleep(0.25)
    finally:
        for query in queries:
            if query.isActive:
                query.stop()
    for query in queries:
        error = query.exception()
        if error is not None:
            raise error


def _batch_ids(folder: str) -> List[int]:
    if not os.path.isdir(folder):
        return []
    return sorted(int(name) for name in os.listdir(folder) if name.isdigit())


def drop_uncommitted_batches(checkpoint: str) -> List[int]:
    """Removes from a query's checkpoint the batches that were planned (offsets/N) but never committed.

    Spark would replay such a batch first on restart, and Spark 4.1.1 then fails in its Kafka source's
    progress metrics (NullPointerException in KafkaMicroBatchStream.metrics: the source reports metrics
    before it has read the latest offsets; SPARK-55271, SPARK-57438). Without the planned entry, the
    batch is planned again from the last committed offsets, through the source's latestOffset: the same
    records (more if more arrived), the same batch id. The outputs are written per batch id and the
    state store's version N is written again, so nothing is counted twice. Returns the dropped ids.
    """
    offsets_dir = os.path.join(checkpoint, "offsets")
    committed = _batch_ids(os.path.join(checkpoint, "commits"))
    last_commit = committed[-1] if committed else -1
    dropped = [batch for batch in _batch_ids(offsets_dir) if batch > last_commit]
    for batch in dropped:
        for name in (str(batch), f".{batch}.crc"):
            path = os.path.join(offsets_dir, name)
            if os.path.exists(path):
                os.remove(path)
    if dropped:
        print(
            f"pitchstream: checkpoint {checkpoint}: batch(es) {dropped} planned but not committed; "
            "planned again from the committed offsets (works around SPARK-55271 in Spark 4.1.1)",
            file=sys.stderr,
            flush=True,
        )
    return dropped
