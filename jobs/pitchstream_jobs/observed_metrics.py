"""The observed metrics (DataFrame.observe) of the micro-batch a streaming query is running, read
from inside its foreachBatch function.

Spark reports observed metrics only in StreamingQueryProgress, which a listener receives after the
batch has committed: a job that died in between would have lost them for good. Read in
foreachBatch, after the batch's action, they belong to the batch call itself, and a replayed batch
computes them again. PySpark has no public call for that (its Observation refuses streaming
DataFrames), so this reads the running batch's execution on the JVM side: Spark 4.0's
StreamExecution.lastExecution, which is that batch's IncrementalExecution while foreachBatch runs.
"""

from __future__ import annotations

import json
from typing import Any, Dict

from pyspark.sql import SparkSession


class ObservedMetricsError(RuntimeError):
    """The metrics asked for are not there (called outside foreachBatch, or the plan has no such observation)."""


def batch_metrics(spark: SparkSession, query_name: str, name: str) -> Dict[str, Any]:
    """The metrics `name` of the batch that query `query_name` is running, as a dict of plain values.

    Call it from the query's foreachBatch function after the batch's action (toArrow, a write…):
    before it, the counts are not complete.
    """
    query = next((active for active in spark.streams.active if active.name == query_name), None)
    if query is None:
        raise ObservedMetricsError(f"no active streaming query is named {query_name!r}: batch_metrics is for its foreachBatch function")
    execution = query._jsq.streamingQuery().lastExecution()  # noqa: SLF001 - see the module docstring
    row = execution.observedMetrics().get(name) if execution is not None else None
    if row is None or row.isEmpty():
        raise ObservedMetricsError(f"the running batch of {query_name!r} has no observed metrics named {name!r}: observe the streamed DataFrame with that name")
    return json.loads(row.get().json())
