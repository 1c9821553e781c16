"""Live win probability: Kafka events → per-match state → the training's features → saved model → Arrow per batch.

One streaming query, ``lwp``:

* the good events of the topic (parsed with the contract's schema; see pitchstream_jobs.event_stream)
  with a watermark on event_time, grouped by match into Spark state with applyInPandasWithState
  (pitchstream_jobs.lwp_inference: the same GameStateStepper the training's game_states runs);
* the stateful step emits one feature row per game state — every minute boundary, every goal,
  every red card — with the match clock, the score and the triggering event;
* the query scores the rows with the PipelineModel loaded once on the driver (model.transform on
  the streaming rows, as the training scores its test states: Spark plans it once with the query)
  and foreachBatch writes each batch's rows to ``<output>/probabilities/batch-<id>.arrow``
  (atomic, replaced when a batch is replayed).
  With --no-model the rows go out unscored (features only): the same job, to measure the model's cost.

Every StreamingQueryProgress goes to ``<output>/progress/lwp.jsonl``. The checkpoint (default
``<output>/checkpoint/lwp``) keeps the per-match state: a restart with the same output continues
where the last committed batch ended. The model's metadata.json must list this job's feature
set version and features in order, else the job refuses to start (LwpModelMismatchError).

Usage (startLwpStream in lib/inference builds the spark-submit line; the Kafka connector jars and the zipped package are required):

    .pitchstream/venv/bin/spark-submit --master 'local[2]' --properties-file <merged conf> \\
        --jars "$(ls .pitchstream/jars/spark-kafka-4.1.1/*.jar | paste -sd,)" \\
        --py-files .pitchstream/cache/pitchstream_jobs-<hash>.zip \\
        jobs/stream_lwp.py --bootstrap 127.0.0.1:9092 --output data/outputs/<run> \\
        (--model-dir models/lwp_model | --no-model) [--topic statsbomb-360-events] \\
        [--starting-offsets earliest] [--max-offsets-per-trigger N] [--watermark-delay '10 minutes'] \\
        [--end-timeout-ms 300000] [--idle-timeout-ms 3600000] [--trigger-ms 0] [--available-now] \\
        [--checkpoint DIR] [--schema contracts/event.schema.json] [--stop-file F] [--error-file F]
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Sequence

import pyarrow as pa
from pyspark.sql import DataFrame

from pitchstream_jobs.batch_output import with_batch_id, write_batch_table
from pitchstream_jobs.contract import event_schema
from pitchstream_jobs.event_stream import configure_parsing_session, good_events, parse_event_records, read_kafka_stream
from pitchstream_jobs.lwp_inference import (
    DEFAULT_END_TIMEOUT_MS,
    DEFAULT_IDLE_TIMEOUT_MS,
    STREAM_EVENT_FIELDS,
    check_model_metadata,
    lwp_feature_rows,
    read_model_metadata,
    score_feature_rows,
    stream_events,
)
from pitchstream_jobs.progress import ProgressFileListener
from pitchstream_jobs.query_control import drop_uncommitted_batches, run_queries
from pitchstream_jobs.runtime import JobArgumentParser, job_session, run

DEFAULT_TOPIC = "statsbomb-360-events"
QUERY_NAME = "lwp"


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = JobArgumentParser(__doc__)
    parser.add_argument("--bootstrap", required=True, help="Kafka bootstrap servers, host:port[,host:port]")
    parser.add_argument("--topic", default=DEFAULT_TOPIC, help=f"topic of normalized events (default {DEFAULT_TOPIC})")
    parser.add_argument("--output", required=True, help="run folder: probabilities/, progress/, checkpoint/")
    model = parser.add_mutually_exclusive_group(required=True)
    model.add_argument("--model-dir", help="the saved PipelineModel with its metadata.json (train_lwp)")
    model.add_argument("--no-model", action="store_true", help="state and features only (to measure the model's overhead)")
    parser.add_argument("--checkpoint", help="checkpoint folder (default <output>/checkpoint)")
    parser.add_argument("--schema", help="event contract (default contracts/event.schema.json)")
    parser.add_argument("--starting-offsets", default="earliest", help="earliest, latest or Kafka's JSON form (fresh checkpoints only)")
    parser.add_argument("--max-offsets-per-trigger", type=int, help="most records per micro-batch (all available when absent)")
    parser.add_argument("--watermark-delay", default="10 minutes", help="how far behind the newest event time an event may arrive")
    parser.add_argument("--end-timeout-ms", type=int, default=DEFAULT_END_TIMEOUT_MS, help="event time after a match's end before its state is cleared")
    parser.add_argument("--idle-timeout-ms", type=int, default=DEFAULT_IDLE_TIMEOUT_MS, help="event time without events before a match's state is cleared")
    parser.add_argument("--trigger-ms", type=int, default=0, help="processing-time trigger interval (0: next batch as soon as one ends)")
    parser.add_argument("--available-now", action="store_true", help="process what the topic holds now, then end")
    parser.add_argument("--stop-grace-s", type=float, default=60.0, help="how long a stop waits for the current batch")
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> None:
    args = parse_arguments(argv)
    # Refuse a model of another feature set before any Spark work: metadata.json is enough.
    if args.model_dir:
        check_model_metadata(read_model_metadata(args.model_dir), args.model_dir)
    output = os.path.abspath(args.output)
    checkpoint = os.path.abspath(args.checkpoint or os.path.join(output, "checkpoint"))
    folders = {name: os.path.join(output, name) for name in ("probabilities", "progress")}
    for folder in folders.values():
        os.makedirs(folder, exist_ok=True)
    schema = event_schema(args.schema)
    session_args = argparse.Namespace(**{**vars(args), "stop_file": None})
    with job_session(session_args, stop_request_file=args.stop_file) as job:
        spark = job.spark
        spark.streams.addListener(ProgressFileListener(folders["progress"]))
        configure_parsing_session(spark)
        model = None
        if args.model_dir:
            from pyspark.ml import PipelineModel

            model = PipelineModel.load(os.path.abspath(args.model_dir))  # once per driver, reused by every batch

        parsed = parse_event_records(read_kafka_stream(spark, args.bootstrap, args.topic, args.starting_offsets, args.max_offsets_per_trigger), schema)
        events = stream_events(good_events(parsed, schema, list(STREAM_EVENT_FIELDS)), args.watermark_delay)
        rows = lwp_feature_rows(events, args.end_timeout_ms, args.idle_timeout_ms)
        # Scored in the query itself: Spark plans the model with the query, not again in every batch.
        output = score_feature_rows(rows, model) if model is not None else rows

        def write_batch(batch: DataFrame, batch_id: int) -> None:
            table = with_batch_id(batch.toArrow(), batch_id)  # the one action of the batch: the state step runs once
            table = table.append_column("written_ms", pa.array([int(time.time() * 1000)] * table.num_rows, type=pa.int64()))
            write_batch_table(table, folders["probabilities"], batch_id)

        drop_uncommitted_batches(os.path.join(checkpoint, QUERY_NAME))
        writer = output.writeStream.queryName(QUERY_NAME).outputMode("append").option("checkpointLocation", os.path.join(checkpoint, QUERY_NAME))
        if args.available_now:
            writer = writer.trigger(availableNow=True)
        elif args.trigger_ms > 0:
            writer = writer.trigger(processingTime=f"{args.trigger_ms} milliseconds")
        query = writer.foreachBatch(write_batch).start()
        run_queries([query], args.stop_file, args.stop_grace_s)


if __name__ == "__main__":
    run(main)
