"""The intake of a stream: per micro-batch, how many records came and which were malformed.

``intake_summary`` is one aggregation over a batch of parsed records (see event_stream): record
counts, Kafka timestamps, and the malformed records themselves (collect_list skips the good ones,
so only the few bad records reach the driver). ``write_intake`` writes the malformed ones with
their raw value and reason to ``dead-letter/batch-<id>.arrow`` and a one-row processing-time
summary to ``intake/batch-<id>.arrow``.
"""

from __future__ import annotations

import time
from typing import Any, Dict

import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from pitchstream_jobs.batch_output import write_batch_table

DEAD_LETTER_SCHEMA = pa.schema(
    [
        ("batch_id", pa.int64()),
        ("partition", pa.int32()),
        ("offset", pa.int64()),
        ("kafka_timestamp_ms", pa.int64()),
        ("raw", pa.string()),
        ("reason", pa.string()),
    ]
)

INTAKE_SCHEMA = pa.schema(
    [
        ("batch_id", pa.int64()),
        ("processed_at_ms", pa.int64()),
        ("records", pa.int64()),
        ("good", pa.int64()),
        ("malformed", pa.int64()),
        ("kafka_timestamp_min_ms", pa.int64()),
        ("kafka_timestamp_max_ms", pa.int64()),
    ]
)


def intake_summary(parsed: DataFrame) -> DataFrame:
    """One row: records, malformed, first/last Kafka timestamp (ms) and the malformed records."""
    bad = F.col("reject_reason").isNotNull()
    return parsed.agg(
        F.count(F.lit(1)).alias("records"),
        F.count(F.when(bad, F.lit(1))).alias("malformed"),
        F.min(F.unix_millis("kafka_timestamp")).alias("kafka_timestamp_min_ms"),
        F.max(F.unix_millis("kafka_timestamp")).alias("kafka_timestamp_max_ms"),
        F.collect_list(
            F.when(
                bad,
                F.struct(
                    F.col("partition"),
                    F.col("offset"),
                    F.unix_millis("kafka_timestamp").alias("kafka_timestamp_ms"),
                    F.col("raw"),
                    F.col("reject_reason").alias("reason"),
                ),
            )
        ).alias("dead_letters"),
    )


def write_intake(summary: Dict[str, Any], batch_id: int, intake_dir: str, dead_letter_dir: str) -> None:
    """Writes the summary row of a batch and, when there are any, its dead letters."""
    letters = sorted(summary["dead_letters"] or [], key=lambda row: (row["partition"], row["offset"]))
    if letters:
        columns = {name: [row[name] for row in letters] for name in ("partition", "offset", "kafka_timestamp_ms", "raw", "reason")}
        columns["batch_id"] = [batch_id] * len(letters)
        write_batch_table(pa.table(columns, schema=DEAD_LETTER_SCHEMA), dead_letter_dir, batch_id)
    records = int(summary["records"] or 0)
    malformed = int(summary["malformed"] or 0)
    row = {
        "batch_id": [batch_id],
        "processed_at_ms": [int(time.time() * 1000)],
        "records": [records],
        "good": [records - malformed],
        "malformed": [malformed],
        "kafka_timestamp_min_ms": [summary["kafka_timestamp_min_ms"]],
        "kafka_timestamp_max_ms": [summary["kafka_timestamp_max_ms"]],
    }
    write_batch_table(pa.table(row, schema=INTAKE_SCHEMA), intake_dir, batch_id)
