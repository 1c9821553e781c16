"""Parses normalized events (JSON lines) with from_json and the contract's StructType, prints them back.

Usage: python test/python/contract_roundtrip.py <event.schema.json> <events.jsonl>
Prints one JSON object: {"schema": <StructType.simpleString()>, "rows": [...]}, event_time as
ISO 8601 UTC with milliseconds, so the TypeScript test can compare every field with the input.
"""

import json
import os
import sys
from datetime import datetime, timezone

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "jobs"))

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

from pitchstream_jobs.contract import event_schema  # noqa: E402


def plain(value):
    """Rows and lists as plain JSON values."""
    if hasattr(value, "asDict"):
        return {key: plain(item) for key, item in value.asDict().items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def iso_utc(epoch_ms):
    return datetime.fromtimestamp(epoch_ms // 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + f".{epoch_ms % 1000:03d}Z"


def main(schema_path, events_path):
    schema = event_schema(schema_path)
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("contract-roundtrip")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    try:
        parsed = (
            spark.read.text(events_path)
            .select(F.from_json("value", schema, {"mode": "FAILFAST"}).alias("event"))
            .select("event.*")
            .withColumn("event_time_ms", F.unix_millis("event_time"))
        )
        rows = []
        for row in parsed.collect():
            record = plain(row)
            record["event_time"] = iso_utc(record.pop("event_time_ms"))
            rows.append(record)
        print(json.dumps({"schema": schema.simpleString(), "rows": rows}))
    finally:
        spark.stop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
