"""Pure transforms of Kafka records as the Spark Kafka source reads them.

The source's columns: key and value (binary), topic, partition (int), offset (long),
timestamp, timestampType. Functions here are DataFrame → DataFrame, without I/O.
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def decode_integer_messages(records: DataFrame) -> DataFrame:
    """One row per record: partition, offset, key (UTF-8 text) and value parsed as a long.

    Values must be decimal integer strings; with ANSI mode (Spark 4's default) any other value
    fails the job instead of becoming null. Rows are sorted by value, then partition and offset.
    """
    return records.select(
        F.col("partition").cast("int").alias("partition"),
        F.col("offset").cast("long").alias("offset"),
        F.col("key").cast("string").alias("key"),
        F.trim(F.col("value").cast("string")).cast("long").alias("value"),
    ).orderBy("value", "partition", "offset")


def summarize_values(decoded: DataFrame) -> DataFrame:
    """A single row: count of messages and sum of their values (0 when there are none)."""
    return decoded.agg(
        F.count(F.lit(1)).alias("count"),
        F.coalesce(F.sum("value"), F.lit(0).cast("long")).alias("sum"),
    )
