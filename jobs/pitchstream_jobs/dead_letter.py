"""The intake of a stream: per micro-batch, how many records came and which were malformed.

``intake_records`` is the stateless projection the streaming query applies to the parsed records
(see event_stream): per record its partition, offset, Kafka timestamp, and for a malformed record
its raw value and reason (null for a good one, so good records cost a few bytes each). foreachBatch
collects a batch of them once, as Arrow, and ``intake_summary`` sums it up on the driver — an
aggregation on the batch DataFrame instead had Spark plan the whole query again in every batch.
``write_intake`` writes the malformed records with their raw value and reason to
``dead-letter/batch-<id>.arrow`` and a one-row processing-time summary to ``intake/batch-<id>.arrow``.
"""

from __future__ import annotations

import time
from typing import Any, Dict

import pyarrow as pa
import pyarrow.compute as pc
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


def intake_records(parsed: DataFrame) -> DataFrame:
    """partition, offset, kafka_timestamp_ms of every record; raw and reason of the malformed ones (else null)."""
    bad = F.col("reject_reason").isNotNull()
    return parsed.select(
        F.col("partition"),
        F.col("offset"),
        F.unix_millis("kafka_timestamp").alias("kafka_timestamp_ms"),
        F.when(bad, F.col("raw")).alias("raw"),
        F.col("reject_reason").alias("reason"),
    )


def intake_summary(records: pa.Table) -> Dict[str, Any]:
    """records, malformed, first/last Kafka timestamp (ms) and the malformed records (dicts) of a batch."""
    timestamps = pc.min_max(records.column("kafka_timestamp_ms")) if records.num_rows else None
    letters = records.filter(pc.is_valid(records.column("reason")))
    return {
        "records": records.num_rows,
        "malformed": letters.num_rows,
        "kafka_timestamp_min_ms": timestamps["min"].as_py() if timestamps else None,
        "kafka_timestamp_max_ms": timestamps["max"].as_py() if timestamps else None,
        "dead_letters": letters.select(["partition", "offset", "kafka_timestamp_ms", "raw", "reason"]).to_pylist(),
    }


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
