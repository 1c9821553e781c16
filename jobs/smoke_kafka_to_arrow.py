"""Smoke test of the Kafka → Spark → Arrow path: reads every message of a topic, once (batch).

Each message value must be a decimal integer string. Writes an Arrow IPC file with one row per
message, sorted by value — columns partition (int32), offset (int64), key (utf8), value (int64) —
and a JSON summary {"topic", "count", "sum"} next to it.

Usage (submitJob builds this line; the Kafka connector jars and the zipped package are required):

    .pitchstream/venv/bin/spark-submit --master 'local[*]' \\
        --properties-file <merged spark-defaults.conf> \\
        --jars "$(ls .pitchstream/jars/spark-kafka-4.1.1/*.jar | paste -sd,)" \\
        --py-files .pitchstream/cache/pitchstream_jobs-<hash>.zip \\
        jobs/smoke_kafka_to_arrow.py \\
        --bootstrap 127.0.0.1:9092 --topic smoke --output data/outputs/smoke/messages.arrow \\
        [--summary data/outputs/smoke/summary.json] [--stop-file F] [--error-file F]

From TypeScript: submitJob('smoke_kafka_to_arrow', ['--bootstrap', b, '--topic', t, '--output', o]).
"""

from __future__ import annotations

import os
from typing import Sequence

from pyspark.sql import DataFrame, SparkSession

from pitchstream_jobs.arrow_io import write_dataframe_arrow, write_json
from pitchstream_jobs.kafka_security import kafka_security_options
from pitchstream_jobs.kafka_messages import decode_integer_messages, summarize_values
from pitchstream_jobs.runtime import JobArgumentParser, job_session, run


def parse_arguments(argv: Sequence[str]):
    parser = JobArgumentParser(__doc__)
    parser.add_argument("--bootstrap", required=True, help="Kafka bootstrap servers, host:port[,host:port]")
    parser.add_argument("--topic", required=True, help="topic to read from its earliest to its latest offset")
    parser.add_argument("--output", required=True, help="Arrow IPC file to write")
    parser.add_argument("--summary", help="JSON summary to write (default: <output without .arrow>.summary.json)")
    return parser.parse_args(argv)


def read_topic(spark: SparkSession, bootstrap: str, topic: str) -> DataFrame:
    return (
        spark.read.format("kafka")
        .option("kafka.bootstrap.servers", bootstrap)
        .option("subscribe", topic)
        .option("startingOffsets", "earliest")
        .option("endingOffsets", "latest")
        .options(**kafka_security_options())
        .load()
    )


def default_summary_path(output: str) -> str:
    stem = output[: -len(".arrow")] if output.endswith(".arrow") else output
    return f"{stem}.summary.json"


def main(argv: Sequence[str]) -> None:
    args = parse_arguments(argv)
    with job_session(args) as job:
        decoded = decode_integer_messages(read_topic(job.spark, args.bootstrap, args.topic)).cache()
        write_dataframe_arrow(decoded, args.output)
        totals = summarize_values(decoded).first()
        write_json(
            {"topic": args.topic, "count": int(totals["count"]), "sum": int(totals["sum"]), "output": os.path.abspath(args.output)},
            args.summary or default_summary_path(args.output),
        )


if __name__ == "__main__":
    run(main)
