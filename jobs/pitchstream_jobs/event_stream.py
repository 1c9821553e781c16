"""Kafka records → typed events, with every malformed record kept and given a reason.

Pure DataFrame → DataFrame functions (plus the Kafka source reader). Parsing uses built-in
functions only (from_json with the contract's StructType, get_json_object, json_object_keys):
no Python UDF on the hot path. A record is *good* when its reject_reason is null; the reasons are

* ``empty value``                       — a null or blank Kafka value (e.g. a tombstone);
* ``not JSON``                          — the value does not parse as JSON;
* ``not a JSON object``                 — valid JSON, but an array, a string or a number;
* ``wrong type: f1, f2``                — fields present with a value of the wrong type;
* ``missing required: f1, f2``          — fields the contract marks non-nullable are absent or null;
* ``malformed point: location``         — a point that is not [x, y] with two numbers;
* ``team not in match: team_id``        — team_id or possession_team_id is neither side of the match.

Good records pay for one from_json and a few null tests: ``is_good`` is a small boolean of its own
(the filters use it), and the reasons are a CASE expression whose branches Spark evaluates only
for the records that fail the cheap checks before them.

The parsed records carry a non-deterministic column (``PARSE_BARRIER``, the Spark partition id) and
the filters read it. Without it, Spark's optimizer pushes each filter below the projection that
parses, inlining from_json once per field the filter reads (116 parses in the optimized plan, a
few hundred milliseconds of planning per micro-batch); a projection with a non-deterministic
column is one it does not push filters through, so every record is parsed once.

Jobs that parse records call ``configure_parsing_session`` first: Spark's constraint
propagation infers facts from every conjunct of the validity check over the parsed struct, and in
a streaming query (planned again in every micro-batch) that took 1–3 s per batch; off, planning
takes 0.1–0.3 s. It only feeds optional optimizations (inferred filters), never results.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType

from pitchstream_jobs.kafka_security import kafka_security_options

CORRUPT_FIELD = "_corrupt_record"
POINT_FIELDS = ("location", "end_location")
TEAM_FIELDS = ("team_id", "possession_team_id")
PARSE_BARRIER = "_parse_partition"
PARSING_SESSION_CONF = {"spark.sql.constraintPropagation.enabled": "false"}
#: Kafka consumer settings of the source. A task reads its offset range and stops; on a live topic
#: the range ends at the log end, and the consumer has already sent its next fetch (the client
#: fetches ahead), which the broker holds until new data arrives or fetch.max.wait.ms passes
#: (Kafka's default: 500 ms). The next batch's task on that cached consumer waits for it before it
#: can fetch its own range. At 4,096 events/s this made the scan stage ~700 ms instead of ~130 ms
#: and a batch twice as long; a short wait costs an idle consumer nothing (it only fetches in poll).
KAFKA_SOURCE_OPTIONS = {"kafka.fetch.max.wait.ms": "10"}


def read_kafka_stream(
    spark: SparkSession,
    bootstrap: str,
    topic: str,
    starting_offsets: str = "earliest",
    max_offsets_per_trigger: Optional[int] = None,
) -> DataFrame:
    """The Kafka source as a streaming DataFrame (key, value, topic, partition, offset, timestamp…),
    with KAFKA_SOURCE_OPTIONS, in at least spark.default.parallelism read tasks per batch."""
    reader = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", bootstrap)
        .option("subscribe", topic)
        .option("startingOffsets", starting_offsets)
        .options(**KAFKA_SOURCE_OPTIONS)
        .options(**kafka_security_options())
        # One read task per Kafka partition by default: records keyed by match sit unevenly on the
        # partitions (4 matches on 4 partitions: 0 / 24 / 23 / 53 %), and the largest task, scheduled
        # last, set the batch's pace (one core idle for 300 ms of a 1.1 s read stage). Spark splits
        # the larger offset ranges up to this many tasks (the profiles set 2 per core): balanced
        # tasks, 80,000-record batches of stream_match_stats p50 1.7 → 1.5 s on 2 cores.
        .option("minPartitions", str(spark.sparkContext.defaultParallelism))
    )
    if max_offsets_per_trigger:
        reader = reader.option("maxOffsetsPerTrigger", str(int(max_offsets_per_trigger)))
    return reader.load()


def configure_parsing_session(spark: SparkSession) -> None:
    """Sets PARSING_SESSION_CONF on the session (see the module docstring)."""
    for key, value in PARSING_SESSION_CONF.items():
        spark.conf.set(key, value)


def parsing_schema(schema: StructType) -> StructType:
    """The contract's schema plus the column from_json fills with the raw text of a corrupt record."""
    return StructType(list(schema.fields) + [StructField(CORRUPT_FIELD, StringType(), True)])


def _names(parts: List[Column]) -> Column:
    """'a, b' from conditional names (nulls are skipped by concat_ws)."""
    return F.concat_ws(", ", *parts)


def _is_valid_point(point: Column) -> Column:
    return point.isNull() | (
        (F.size(point) == 2) & F.try_element_at(point, F.lit(1)).isNotNull() & F.try_element_at(point, F.lit(2)).isNotNull()
    )


def _required(schema: StructType) -> List[str]:
    return [field.name for field in schema.fields if not field.nullable]


def _points(schema: StructType) -> List[str]:
    return [name for name in POINT_FIELDS if name in schema.fieldNames()]


def _any(conditions: List[Column]) -> Column:
    result = F.lit(False)
    for condition in conditions:
        result = result | condition
    return result


def _field_checks(event: Column, schema: StructType) -> Dict[str, List[Tuple[str, Column]]]:
    """Per kind of fault, (field, the condition under which that field is at fault): one definition
    that is_good and reject_reason share."""
    sides = (event["home_team_id"], event["away_team_id"])
    return {
        "missing required": [(name, event[name].isNull()) for name in _required(schema)],
        "malformed point": [(name, ~_is_valid_point(event[name])) for name in _points(schema)],
        "team not in match": [(name, ~event[name].isin(*sides)) for name in TEAM_FIELDS],
    }


def is_good(event: Column, schema: StructType) -> Column:
    """True for a record with no reject reason: typed, complete, with valid points and its own teams."""
    faults = [condition for checks in _field_checks(event, schema).values() for _, condition in checks]
    # A null value parses to a null struct: coalesce makes that false, not null.
    return F.coalesce(event[CORRUPT_FIELD].isNull() & ~_any(faults), F.lit(False))


def reject_reason(raw: Column, event: Column, schema: StructType) -> Column:
    """Why a record is malformed, or null for a good one (see the module docstring)."""
    wrong_type = _names(
        [F.when(F.get_json_object(raw, f"$.{field.name}").isNotNull() & event[field.name].isNull(), F.lit(field.name)) for field in schema.fields]
    )
    # Good records stop at the first branch: no second JSON parse.
    reason = (
        F.when(is_good(event, schema), F.lit(None).cast("string"))
        .when(raw.isNull() | (F.trim(raw) == ""), F.lit("empty value"))
        .when(F.get_json_object(raw, "$").isNull(), F.lit("not JSON"))
        .when(F.json_object_keys(raw).isNull(), F.lit("not a JSON object"))
        .when(event[CORRUPT_FIELD].isNotNull(), F.concat(F.lit("wrong type: "), wrong_type))
    )
    *earlier, (last_kind, last_checks) = _field_checks(event, schema).items()
    for kind, checks in earlier:
        names = _names([F.when(condition, F.lit(name)) for name, condition in checks])
        reason = reason.when(_any([condition for _, condition in checks]), F.concat(F.lit(f"{kind}: "), names))
    last_names = _names([F.when(condition, F.lit(name)) for name, condition in last_checks])
    return reason.otherwise(F.concat(F.lit(f"{last_kind}: "), last_names))


def parse_event_records(records: DataFrame, schema: StructType) -> DataFrame:
    """Kafka records → partition, offset, kafka_timestamp, raw (text), event (struct), is_good,
    reject_reason, and the parse barrier (see the module docstring)."""
    raw = F.col("value").cast("string")
    with_event = records.select(
        F.col("partition").cast("int").alias("partition"),
        F.col("offset").cast("long").alias("offset"),
        F.col("timestamp").alias("kafka_timestamp"),
        raw.alias("raw"),
        F.from_json(raw, parsing_schema(schema), {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": CORRUPT_FIELD}).alias("event"),
        F.spark_partition_id().alias(PARSE_BARRIER),
    )
    event = F.col("event")
    return with_event.select("*", is_good(event, schema).alias("is_good"), reject_reason(F.col("raw"), event, schema).alias("reject_reason"))


def _kept(condition: Column) -> Column:
    """condition, read together with the parse barrier so that Spark keeps the filter above the parse."""
    return condition & (F.col(PARSE_BARRIER) >= 0)


def good_events(parsed: DataFrame, schema: StructType, fields: Optional[List[str]] = None) -> DataFrame:
    """The good records as flat event columns (all contract fields, or only `fields`) plus kafka_timestamp."""
    names = fields or schema.fieldNames()
    return parsed.where(_kept(F.col("is_good"))).select(
        *[F.col("event")[name].alias(name) for name in names], F.col("kafka_timestamp")
    )


def malformed_records(parsed: DataFrame) -> DataFrame:
    """The malformed records: partition, offset, kafka_timestamp, raw, reason."""
    return parsed.where(_kept(~F.col("is_good"))).select(
        "partition", "offset", "kafka_timestamp", "raw", F.col("reject_reason").alias("reason")
    )


