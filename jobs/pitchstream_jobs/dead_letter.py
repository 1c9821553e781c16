"""The intake of a stream: per micro-batch, how many records came and which were malformed.

``observe_intake`` marks the parsed records (see event_stream) with Spark's observed metrics: as
the stats query's micro-batch runs, Spark counts its records and malformed records, takes the first
and last Kafka timestamp and gathers every malformed record (partition, offset, timestamp, raw
value, reason) — in the same pass that parses them for the statistics, so each record is read from
Kafka and parsed once. (A second streaming query for the intake read and parsed every record a
second time: ~40 % of the job's CPU.) foreachBatch reads the batch's values with
``observed_metrics.batch_metrics`` after the batch's action, ``intake_summary`` checks them, and
``write_intake`` writes the malformed records to ``dead-letter/batch-<id>.arrow`` and a one-row
processing-time summary to ``intake/batch-<id>.arrow`` — in the same batch call as the statistics,
so a replayed batch rewrites both and nothing is lost between them.
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


#: The name of the observed metrics that observe_intake adds (StreamingQueryProgress.observedMetrics).
INTAKE_METRICS = "intake"
DEAD_LETTER_FIELDS = ("partition", "offset", "kafka_timestamp_ms", "raw", "reason")
INTAKE_COUNTS = ("records", "malformed", "kafka_timestamp_min_ms", "kafka_timestamp_max_ms")


def observe_intake(parsed: DataFrame) -> DataFrame:
    """The parsed records, unchanged, observed per batch as INTAKE_METRICS: records, malformed,
    kafka_timestamp_{min,max}_ms and dead_letters (one struct of DEAD_LETTER_FIELDS per malformed record)."""
    bad = ~F.col("is_good")
    kafka_ms = F.unix_millis("kafka_timestamp")
    letter = F.struct(
        F.col("partition"), F.col("offset"), kafka_ms.alias("kafka_timestamp_ms"), F.col("raw"), F.col("reject_reason").alias("reason")
    )
    return parsed.observe(
        INTAKE_METRICS,
        F.count(F.lit(1)).alias("records"),
        F.count_if(bad).alias("malformed"),
        F.min(kafka_ms).alias("kafka_timestamp_min_ms"),
        F.max(kafka_ms).alias("kafka_timestamp_max_ms"),
        # collect_list skips nulls: good records add nothing.
        F.collect_list(F.when(bad, letter)).alias("dead_letters"),
    )


def intake_summary(metrics: Dict[str, Any]) -> Dict[str, Any]:
    """The intake of one batch from its INTAKE_METRICS values (as batch_metrics returns them)."""
    missing = [name for name in INTAKE_COUNTS + ("dead_letters",) if name not in metrics]
    if missing:
        raise ValueError(f"the intake metrics lack {', '.join(missing)}: were the records observed with observe_intake?")
    letters = [{name: letter.get(name) for name in DEAD_LETTER_FIELDS} for letter in metrics["dead_letters"] or []]
    if len(letters) != int(metrics["malformed"] or 0):
        raise ValueError(f"the intake metrics count {metrics['malformed']} malformed records but hold {len(letters)}")
    return {**{name: metrics[name] for name in INTAKE_COUNTS}, "dead_letters": letters}


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
