"""Running a job's streaming queries to their end, and stopping them after their current batch.

The runtime's own stop-file watcher stops queries at once (query.stop() cancels a running batch;
the checkpoint then replays it). Streaming jobs that want a graceful stop give job_session no stop
file and call ``run_queries`` with it instead: when the file appears, each query is stopped only
between two batches (no trigger active), so every batch that started also wrote its outputs.
"""

from __future__ import annotations

import os
import time
from typing import Optional, Sequence

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
