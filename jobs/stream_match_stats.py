"""Live match statistics: Kafka events → event-time windows per match and team → Arrow per batch.

Two streaming queries on one session read the same topic, each with its own checkpoint:

* ``match_stats`` — good events (see pitchstream_jobs.event_stream) grouped per (match, window)
  with a watermark on event_time, output mode update, each window row split into per-team rows;
  foreachBatch writes them to ``<output>/stats/batch-<id>.arrow`` (and prints them with --console).
* ``intake`` — every record of each batch: a processing-time summary in
  ``<output>/intake/batch-<id>.arrow`` and the malformed records with their raw value and reason
  in ``<output>/dead-letter/batch-<id>.arrow``. Malformed records never stop the job.

Every StreamingQueryProgress goes to ``<output>/progress/<query>.jsonl``. Checkpoints default to
``<output>/checkpoint/<query>``: stopping and starting again with the same output continues where
the last committed batch ended; a replayed batch rewrites its own files (same name). With
--available-now the job processes what the topic holds when it starts (in batches of at most
--max-offsets-per-trigger) and ends; otherwise it runs until the stop file appears, and then
stops each query between two batches.

Usage (submitJob builds this line; the Kafka connector jars and the zipped package are required):

    .pitchstream/venv/bin/spark-submit --master 'local[*]' \\
        --properties-file <merged spark-defaults.conf> \\
        --jars "$(ls .pitchstream/jars/spark-kafka-4.0.0/*.jar | paste -sd,)" \\
        --py-files .pitchstream/cache/pitchstream_jobs-<hash>.zip \\
        jobs/stream_match_stats.py --bootstrap 127.0.0.1:9092 --output data/outputs/<run> \\
        [--topic statsbomb-360-events] [--starting-offsets earliest] [--max-offsets-per-trigger N] \\
        [--window-minutes 1] [--slide-minutes M] [--watermark-delay '10 minutes'] [--trigger-ms 1000] \\
        [--available-now] [--console] [--checkpoint DIR] [--schema contracts/event.schema.json] \\
        [--stop-file F] [--error-file F]

From TypeScript: startMatchStats({ bootstrap, outputDir, … }) in lib/streaming.
"""

from __future__ import annotations

import argparse
import os
from typing import Sequence

from pyspark.sql import DataFrame

from pitchstream_jobs.batch_output import with_batch_id, write_batch_table
from pitchstream_jobs.contract import event_schema
from pitchstream_jobs.dead_letter import intake_records, intake_summary, write_intake
from pitchstream_jobs.event_stream import configure_parsing_session, good_events, parse_event_records, read_kafka_stream
from pitchstream_jobs.match_stats import STAT_FIELDS, team_rows, window_stats
from pitchstream_jobs.progress import ProgressFileListener
from pitchstream_jobs.query_control import run_queries
from pitchstream_jobs.runtime import JobArgumentParser, job_session, run

DEFAULT_TOPIC = "statsbomb-360-events"


def positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = JobArgumentParser(__doc__)
    parser.add_argument("--bootstrap", required=True, help="Kafka bootstrap servers, host:port[,host:port]")
    parser.add_argument("--topic", default=DEFAULT_TOPIC, help=f"topic of normalized events (default {DEFAULT_TOPIC})")
    parser.add_argument("--output", required=True, help="run folder: stats/, intake/, dead-letter/, progress/, checkpoint/")
    parser.add_argument("--checkpoint", help="checkpoint folder (default <output>/checkpoint)")
    parser.add_argument("--schema", help="event contract (default contracts/event.schema.json)")
    parser.add_argument("--starting-offsets", default="earliest", help="earliest, latest or Kafka's JSON form (fresh checkpoints only)")
    parser.add_argument("--max-offsets-per-trigger", type=int, help="most records per micro-batch (all available when absent)")
    parser.add_argument("--window-minutes", type=positive_float, default=1.0, help="event-time window length in minutes (default 1)")
    parser.add_argument("--slide-minutes", type=positive_float, help="sliding windows: start a window every this many minutes")
    parser.add_argument("--watermark-delay", default="10 minutes", help="how far behind the newest event time an event may arrive")
    parser.add_argument("--trigger-ms", type=int, default=0, help="processing-time trigger interval (0: next batch as soon as one ends)")
    parser.add_argument("--available-now", action="store_true", help="process what the topic holds now, then end")
    parser.add_argument("--console", action="store_true", help="also print each batch's team rows (the console sink's view)")
    parser.add_argument("--console-rows", type=int, default=20, help="rows printed per batch with --console")
    parser.add_argument("--stop-grace-s", type=float, default=60.0, help="how long a stop waits for the current batch")
    return parser.parse_args(argv)


def with_trigger(writer, args: argparse.Namespace):
    if args.available_now:
        return writer.trigger(availableNow=True)
    if args.trigger_ms > 0:
        return writer.trigger(processingTime=f"{args.trigger_ms} milliseconds")
    return writer


def main(argv: Sequence[str]) -> None:
    args = parse_arguments(argv)
    output = os.path.abspath(args.output)
    checkpoint = os.path.abspath(args.checkpoint or os.path.join(output, "checkpoint"))
    folders = {name: os.path.join(output, name) for name in ("stats", "intake", "dead-letter", "progress")}
    for folder in folders.values():
        os.makedirs(folder, exist_ok=True)
    schema = event_schema(args.schema)
    # The stop file is ours (graceful stop between batches), not the runtime's immediate one.
    session_args = argparse.Namespace(**{**vars(args), "stop_file": None})
    with job_session(session_args) as job:
        spark = job.spark
        # The job's own semantics, not a tuning: in update mode a batch without new records only
        # evicts expired windows from the state and outputs nothing, yet it costs a whole batch
        # (planning, a state commit per partition) while new events wait. Eviction then happens
        # in the next batch that has data; results are the same.
        spark.conf.set("spark.sql.streaming.noDataMicroBatches.enabled", "false")
        configure_parsing_session(spark)
        spark.streams.addListener(ProgressFileListener(folders["progress"]))

        def source() -> DataFrame:
            return parse_event_records(
                read_kafka_stream(spark, args.bootstrap, args.topic, args.starting_offsets, args.max_offsets_per_trigger), schema
            )

        windows = window_stats(good_events(source(), schema, STAT_FIELDS), args.window_minutes, args.slide_minutes, args.watermark_delay)

        def write_stats(batch: DataFrame, batch_id: int) -> None:
            # The batch's one action: the rows as planned with the query, collected once.
            table = with_batch_id(batch.toArrow(), batch_id)
            if args.console:
                print(f"-------------------------------------------\nBatch: {batch_id}\n-------------------------------------------", flush=True)
                print(table.slice(0, args.console_rows).to_pandas().to_string(index=False), flush=True)
            write_batch_table(table, folders["stats"], batch_id)

        def write_intake_batch(batch: DataFrame, batch_id: int) -> None:
            write_intake(intake_summary(batch.toArrow()), batch_id, folders["intake"], folders["dead-letter"])

        stats_query = (
            with_trigger(team_rows(windows).writeStream.queryName("match_stats").outputMode("update"), args)
            .option("checkpointLocation", os.path.join(checkpoint, "match_stats"))
            .foreachBatch(write_stats)
            .start()
        )
        intake_query = (
            with_trigger(intake_records(source()).writeStream.queryName("intake").outputMode("append"), args)
            .option("checkpointLocation", os.path.join(checkpoint, "intake"))
            .foreachBatch(write_intake_batch)
            .start()
        )
        run_queries([stats_query, intake_query], args.stop_file, args.stop_grace_s)


if __name__ == "__main__":
    run(main)
