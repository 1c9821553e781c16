"""Live match statistics: Kafka events → event-time windows per match and team → Arrow per batch.

One streaming query, ``match_stats``, reads the topic and parses each record once:

* the good events (see pitchstream_jobs.event_stream) are grouped per (match, window) with a
  watermark on event_time, output mode update, each window row split into per-team rows;
  foreachBatch writes them to ``<output>/stats/batch-<id>.arrow`` (and prints them with --console);
* every record of the batch is observed on its way (pitchstream_jobs.dead_letter): the same batch
  call writes a processing-time summary to ``<output>/intake/batch-<id>.arrow`` and the malformed
  records with their raw value and reason to ``<output>/dead-letter/batch-<id>.arrow``. Malformed
  records never stop the job.

Every StreamingQueryProgress goes to ``<output>/progress/match_stats.jsonl``. The checkpoint defaults to
``<output>/checkpoint/match_stats``: stopping and starting again with the same output continues where
the last committed batch ended; a replayed batch rewrites its own files (same name). With
--available-now the job processes what the topic holds when it starts (in batches of at most
--max-offsets-per-trigger) and ends; otherwise it runs until the stop file appears, and then
stops the query between two batches.

Usage (submitJob builds this line; the Kafka connector jars and the zipped package are required):

    .pitchstream/venv/bin/spark-submit --master 'local[*]' \\
        --properties-file <merged spark-defaults.conf> \\
        --jars "$(ls .pitchstream/jars/spark-kafka-4.1.1/*.jar | paste -sd,)" \\
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
from pitchstream_jobs.dead_letter import INTAKE_METRICS, intake_summary, observe_intake, write_intake
from pitchstream_jobs.event_stream import configure_parsing_session, good_events, parse_event_records, read_kafka_stream
from pitchstream_jobs.match_stats import STAT_FIELDS, team_rows, window_stats
from pitchstream_jobs.observed_metrics import batch_metrics
from pitchstream_jobs.progress import ProgressFileListener
from pitchstream_jobs.query_control import drop_uncommitted_batches, run_queries
from pitchstream_jobs.runtime import JobArgumentParser, job_session, run

DEFAULT_TOPIC = "statsbomb-360-events"
QUERY_NAME = "match_stats"


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
    with job_session(session_args, stop_request_file=args.stop_file) as job:
        spark = job.spark
        # The job's own semantics, not a tuning: in update mode a batch without new records only
        # evicts expired windows from the state and outputs nothing, yet it costs a whole batch
        # (planning, a state commit per partition) while new events wait. Eviction then happens
        # in the next batch that has data; results are the same.
        spark.conf.set("spark.sql.streaming.noDataMicroBatches.enabled", "false")
        configure_parsing_session(spark)
        spark.streams.addListener(ProgressFileListener(folders["progress"]))

        records = observe_intake(
            parse_event_records(read_kafka_stream(spark, args.bootstrap, args.topic, args.starting_offsets, args.max_offsets_per_trigger), schema)
        )
        windows = window_stats(good_events(records, schema, STAT_FIELDS), args.window_minutes, args.slide_minutes, args.watermark_delay)

        def write_batch(batch: DataFrame, batch_id: int) -> None:
            # The batch's one action: the rows as planned with the query, collected once; the
            # intake metrics are complete after it.
            table = with_batch_id(batch.toArrow(), batch_id)
            if args.console:
                print(f"-------------------------------------------\nBatch: {batch_id}\n-------------------------------------------", flush=True)
                print(table.slice(0, args.console_rows).to_pandas().to_string(index=False), flush=True)
            write_batch_table(table, folders["stats"], batch_id)
            intake = intake_summary(batch_metrics(spark, QUERY_NAME, INTAKE_METRICS))
            write_intake(intake, batch_id, folders["intake"], folders["dead-letter"])

        drop_uncommitted_batches(os.path.join(checkpoint, QUERY_NAME))
        query = (
            with_trigger(team_rows(windows).writeStream.queryName(QUERY_NAME).outputMode("update"), args)
            .option("checkpointLocation", os.path.join(checkpoint, QUERY_NAME))
            .foreachBatch(write_batch)
            .start()
        )
        run_queries([query], args.stop_file, args.stop_grace_s)


if __name__ == "__main__":
    run(main)
