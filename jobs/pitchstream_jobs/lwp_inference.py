"""Live win probability on a stream: per-match state in Spark, the training's features, the saved model per batch.

Three pieces, each testable on its own:

* :func:`check_model_metadata` — a model directory's metadata.json against this job's feature
  module (FEATURE_SET_VERSION and the ordered FEATURE_NAMES). A mismatch raises
  :class:`LwpModelMismatchError` before any Spark work starts (lib maps it to LWP_MODEL_MISMATCH).
* :class:`MatchStream` — one match's streaming state: a :class:`GameStateStepper` (the same code
  that ``game_states`` runs for training) plus the bookkeeping of arrival order. Serialised to
  JSON in Spark's group state.
* :func:`lwp_feature_rows` — the stateful step: ``groupBy(match_id).applyInPandasWithState``
  with an event-time timeout; it emits one feature row per game state (a minute boundary, a goal,
  a red card) with the match clock, the score and the triggering event.

Scoring is stateless (:func:`score_feature_rows`): ``model.transform`` of the driver's loaded
PipelineModel on the feature rows — the streaming rows in the job, the same call the training job
scores its test states with.

Order of events. The stepper must see a match's events in event order (StatsBomb ``index``,
1, 2, 3, … per match). Kafka keeps the order of one match's records (the producer keys by match),
but a record may come late or out of order across micro-batches (another producer, a retry, a
replay). So each batch's events of a match are sorted by ``index`` and held in a pending buffer;
the stepper consumes the buffer while it holds the next expected index. Duplicates (an index
already consumed or already pending) are dropped. A gap that never fills (an event lost or
rejected as malformed) is skipped once the watermark has passed the event time of the oldest
pending event: events older than the watermark would be dropped as late anyway. Events older than
the watermark (``--watermark-delay`` behind the newest event time) are dropped by Spark before
they reach the state.

End of a match and replays. After a "Half End" of period 2 or later the match may still go to extra
time, so its state is kept until the watermark passes the last event time + ``end timeout``, then
removed. A match without events for ``idle timeout`` of event time is removed as well.

The producer's loop rounds send the same match again with its event times moved by at least the
span of the data set (a match or more), so an event's *send* is told by its kick-off: event time
minus match clock (minute, second), the same for every event of one send within a second or so.
Events whose kick-off is more than ``ROUND_SEPARATION_MS`` later than the current send's start a
new send: the current one is flushed (gaps skipped) and the match starts again from a fresh state
with ``replay`` + 1; events of an earlier send are dropped. One batch may hold the end of one send
and the start of the next (a few seconds of a fast replay): they are split by kick-off first and
each is folded in index order, so the next send's first events are neither taken for duplicates
of the current one nor held back behind them.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, IntegerType, LongType, StringType, StructField, StructType

from pitchstream_jobs.features import EVENT_FIELDS, FEATURE_NAMES, FEATURE_SET_VERSION, OUTCOMES, GameStateStepper, state_inputs
from pitchstream_jobs.worker_imports import skip_unchanged_zip_rereads

# The Python workers that run this module's pandas functions import it: from their second task on,
# a task no longer starts by re-reading pyspark.zip (see pitchstream_jobs.worker_imports).
skip_unchanged_zip_rereads()

#: The keys and times the stateful step reads besides the feature module's state inputs.
STREAM_KEY_COLUMNS: Tuple[str, ...] = ("match_id", "home_team_id", "away_team_id", "id", "event_time")

#: The contract fields the job takes from the good events: the keys and the feature module's EVENT_FIELDS.
STREAM_EVENT_FIELDS: Tuple[str, ...] = STREAM_KEY_COLUMNS + EVENT_FIELDS

#: The probability columns the scored output adds, in OUTCOMES order.
PROBABILITY_COLUMNS: Tuple[str, ...] = tuple(f"p_{outcome}" for outcome in OUTCOMES)

STATE_SCHEMA = StructType([StructField("json", StringType(), False)])

FEATURE_ROW_SCHEMA = StructType(
    [
        StructField("match_id", LongType(), False),
        StructField("replay", IntegerType(), False),
        StructField("state_index", IntegerType(), False),
        StructField("trigger", StringType(), False),
        StructField("clock", StringType(), False),
        StructField("home_team_id", LongType(), False),
        StructField("away_team_id", LongType(), False),
        StructField("event_id", StringType(), True),
        StructField("event_index", IntegerType(), False),
        StructField("event_type", StringType(), True),
        StructField("event_team_id", LongType(), True),
        StructField("event_time_ms", LongType(), False),
        StructField("kafka_timestamp_ms", LongType(), False),
        StructField("state_emitted_ms", LongType(), False),
    ]
    + [StructField(name, DoubleType(), False) for name in FEATURE_NAMES]
)

END_PERIOD_FROM = 2
DEFAULT_END_TIMEOUT_MS = 5 * 60_000
DEFAULT_IDLE_TIMEOUT_MS = 60 * 60_000
#: Kick-offs (event time − match clock) further apart than this are different sends of a match.
ROUND_SEPARATION_MS = 30 * 60_000


class LwpModelMismatchError(Exception):
    """The saved model was trained on another feature list or feature-set version than this job computes."""


def read_model_metadata(model_dir: str) -> Dict[str, Any]:
    path = os.path.join(model_dir, "metadata.json")
    if not os.path.exists(path):
        raise LwpModelMismatchError(f"no metadata.json in the model directory {model_dir}: it was not saved by train_lwp")
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def check_model_metadata(metadata: Mapping[str, Any], model_dir: str = "") -> None:
    """Raises LwpModelMismatchError naming what differs: version, missing/extra features, or their order."""
    version = metadata.get("feature_set_version")
    names = [feature.get("name") if isinstance(feature, Mapping) else feature for feature in metadata.get("features") or []]
    problems: List[str] = []
    if version != FEATURE_SET_VERSION:
        problems.append(f"feature_set_version is {version!r}, the job computes {FEATURE_SET_VERSION!r}")
    if names != list(FEATURE_NAMES):
        missing = [name for name in FEATURE_NAMES if name not in names]
        extra = [name for name in names if name not in FEATURE_NAMES]
        if missing or extra:
            problems.append(f"features differ: missing {missing}, unknown {extra}")
        else:
            problems.append("the features are the same but in another order than the job's")
    if problems:
        raise LwpModelMismatchError(
            f"the model at {model_dir or '(metadata)'} does not match the job's feature module: " + "; ".join(problems)
            + ". Train the model again with this version of pitchstream (trainLwp)."
        )


def _clock(minute: int, second: float) -> str:
    return f"{minute:02d}:{int(second):02d}"


def _int(value: Any) -> Optional[int]:
    return None if value is None or (isinstance(value, float) and value != value) else int(value)


class MatchStream:
    """One match's streaming state: the stepper, what arrived early, and when the match ended."""

    def __init__(self, home_team_id: int, away_team_id: int) -> None:
        self.home_team_id = int(home_team_id)
        self.away_team_id = int(away_team_id)
        self.stepper = GameStateStepper(home_team_id, away_team_id)
        self.replay = 0
        self.next_index = 1
        self.pending: Dict[int, Dict[str, Any]] = {}
        self.ended = False
        self.last_event_time_ms = 0
        self.kickoff_ms: Optional[int] = None  # of the send being folded (see the module docstring)

    # -- serialisation -------------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps(
            {
                "home_team_id": self.home_team_id,
                "away_team_id": self.away_team_id,
                "stepper": self.stepper.to_json(),
                "replay": self.replay,
                "next_index": self.next_index,
                "pending": list(self.pending.values()),
                "ended": self.ended,
                "last_event_time_ms": self.last_event_time_ms,
                "kickoff_ms": self.kickoff_ms,
            },
            default=_json_default,
        )

    @classmethod
    def from_json(cls, text: str) -> "MatchStream":
        record = json.loads(text)
        stream = cls(record["home_team_id"], record["away_team_id"])
        stream.stepper = GameStateStepper.from_json(record["stepper"])
        stream.replay = int(record["replay"])
        stream.next_index = int(record["next_index"])
        stream.pending = {int(event["index"]): event for event in record["pending"]}
        stream.ended = bool(record["ended"])
        stream.last_event_time_ms = int(record["last_event_time_ms"])
        stream.kickoff_ms = _int(record.get("kickoff_ms"))  # absent in a checkpoint of an older version
        return stream

    # -- folding events ------------------------------------------------------------------------
    def add(self, events: Sequence[Dict[str, Any]], match_id: int, now_ms: int) -> List[Dict[str, Any]]:
        """Takes a batch of this match's events (any order); returns the feature rows of the states they complete."""
        rows: List[Dict[str, Any]] = []
        for send_kickoff_ms, send in _sends(events):
            if self.kickoff_ms is None:
                self.kickoff_ms = send_kickoff_ms
            elif send_kickoff_ms < self.kickoff_ms - ROUND_SEPARATION_MS:
                continue  # a late record of an earlier send
            elif send_kickoff_ms > self.kickoff_ms + ROUND_SEPARATION_MS:
                rows.extend(self.flush(match_id, now_ms, skip_gaps=True))
                self._start_replay(send_kickoff_ms)
            for event in send:
                index = int(event["index"])
                if index >= self.next_index:
                    self.pending.setdefault(index, event)  # else a duplicate of a consumed event (a replayed Kafka record)
            rows.extend(self.flush(match_id, now_ms, skip_gaps=False))
        return rows

    def _start_replay(self, kickoff_ms: int) -> None:
        replay = self.replay + 1
        self.__init__(self.home_team_id, self.away_team_id)  # type: ignore[misc]
        self.replay = replay
        self.kickoff_ms = kickoff_ms

    def flush(self, match_id: int, now_ms: int, skip_gaps: bool) -> List[Dict[str, Any]]:
        """Consumes the pending events in index order: up to the first gap, or all of them with skip_gaps."""
        rows: List[Dict[str, Any]] = []
        while self.pending:
            if self.next_index not in self.pending:
                if not skip_gaps:
                    break
                self.next_index = min(self.pending)
            event = self.pending.pop(self.next_index)
            self.next_index += 1
            rows.extend(self._step(event, match_id, now_ms))
        return rows

    def _step(self, event: Dict[str, Any], match_id: int, now_ms: int) -> List[Dict[str, Any]]:
        event_time_ms = int(event["event_time_ms"])
        self.last_event_time_ms = max(self.last_event_time_ms, event_time_ms)
        if event.get("type") == "Half End" and int(event["period"]) >= END_PERIOD_FROM:
            self.ended = True
        elif int(event["period"]) in (3, 4) and event.get("type") != "Half End":
            self.ended = False  # extra time after all
        rows = []
        for state in self.stepper.step(event):
            is_minute = state["trigger"] == "minute"
            minute = int(state["minute"])
            second = 0.0 if is_minute else float(event["second"])
            rows.append(
                {
                    "match_id": int(match_id),
                    "replay": self.replay,
                    "state_index": int(state["state_index"]),
                    "trigger": state["trigger"],
                    "clock": _clock(minute, second),
                    "home_team_id": self.home_team_id,
                    "away_team_id": self.away_team_id,
                    "event_id": event.get("id"),
                    "event_index": int(event["index"]),
                    "event_type": event.get("type"),
                    "event_team_id": _int(event.get("team_id")),
                    "event_time_ms": event_time_ms,
                    "kafka_timestamp_ms": int(event["kafka_timestamp_ms"]),
                    "state_emitted_ms": now_ms,
                    **{name: float(state[name]) for name in FEATURE_NAMES},
                }
            )
        return rows

    def timeout_ms(self, end_timeout_ms: int, idle_timeout_ms: int) -> int:
        """The event time at which the group should be woken: a pending gap, the end of the match, or idleness."""
        if self.pending:
            return min(int(event["event_time_ms"]) for event in self.pending.values())
        return self.last_event_time_ms + (end_timeout_ms if self.ended else idle_timeout_ms)


def kickoff_ms(event: Mapping[str, Any]) -> int:
    """The kick-off an event was sent for: its event time minus its match clock."""
    return int(event["event_time_ms"]) - (int(event["minute"]) * 60 + int(event["second"])) * 1000


def _sends(events: Sequence[Dict[str, Any]]) -> List[Tuple[int, List[Dict[str, Any]]]]:
    """A batch's events split into sends (kick-offs within ROUND_SEPARATION_MS), in kick-off order, each in index order."""
    sends: List[Tuple[int, List[Dict[str, Any]]]] = []
    for event in sorted(events, key=kickoff_ms):
        kickoff = kickoff_ms(event)
        if sends and kickoff - sends[-1][0] <= ROUND_SEPARATION_MS:
            sends[-1][1].append(event)
        else:
            sends.append((kickoff, [event]))
    return [(kickoff, sorted(send, key=lambda e: int(e["index"]))) for kickoff, send in sends]


def _epoch_ms(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column, utc=True).astype("datetime64[ms, UTC]").astype("int64")


def _json_default(value: Any) -> Any:
    # numpy arrays and scalars that pandas hands out (points, freeze frames, int64 ids)
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _records(frame: pd.DataFrame) -> List[Dict[str, Any]]:
    """Events of a pandas batch as dicts (as applyInPandas hands them to training), times as epoch ms."""
    # Column by column with tolist (Python scalars, as to_dict gives), then zipped: a few times faster
    # than DataFrame.to_dict("records"), which boxes every value on its own.
    columns = {name: frame[name].tolist() for name in frame.columns if name not in ("event_time", "kafka_timestamp")}
    columns["event_time_ms"] = _epoch_ms(frame["event_time"]).tolist()
    columns["kafka_timestamp_ms"] = _epoch_ms(frame["kafka_timestamp"]).tolist()
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def match_state_function(end_timeout_ms: int = DEFAULT_END_TIMEOUT_MS, idle_timeout_ms: int = DEFAULT_IDLE_TIMEOUT_MS):
    """The function applyInPandasWithState calls per match: (key, frames, state) → feature-row frames."""
    columns = [field.name for field in FEATURE_ROW_SCHEMA.fields]

    def step(key: Tuple[Any, ...], frames: Iterator[pd.DataFrame], state) -> Iterator[pd.DataFrame]:
        match_id = int(key[0])
        now_ms = int(time.time() * 1000)
        stream: Optional[MatchStream] = MatchStream.from_json(state.get[0]) if state.exists else None
        rows: List[Dict[str, Any]] = []
        if state.hasTimedOut:
            if stream is not None:
                rows.extend(stream.flush(match_id, now_ms, skip_gaps=True))
                if stream.ended or not rows:
                    state.remove()
                    if rows:
                        yield pd.DataFrame(rows, columns=columns)
                    return
        else:
            for frame in frames:
                if frame.empty:
                    continue
                if stream is None:
                    first = frame.iloc[0]
                    stream = MatchStream(int(first["home_team_id"]), int(first["away_team_id"]))
                rows.extend(stream.add(_records(frame), match_id, now_ms))
        if stream is not None:
            state.update((stream.to_json(),))
            watermark = state.getCurrentWatermarkMs()
            state.setTimeoutTimestamp(max(stream.timeout_ms(end_timeout_ms, idle_timeout_ms), watermark + 1))
        if rows:
            yield pd.DataFrame(rows, columns=columns)

    return step


def stream_events(good: DataFrame, watermark_delay: str) -> DataFrame:
    """The good events (with STREAM_EVENT_FIELDS) as the stateful step reads them: the keys and the
    feature module's state inputs (the training's projection), with a watermark on event_time."""
    return state_inputs(good, *STREAM_KEY_COLUMNS, "kafka_timestamp").withWatermark("event_time", watermark_delay)


def lwp_feature_rows(
    events: DataFrame, end_timeout_ms: int = DEFAULT_END_TIMEOUT_MS, idle_timeout_ms: int = DEFAULT_IDLE_TIMEOUT_MS
) -> DataFrame:
    """Per-match state → one feature row per game state (FEATURE_ROW_SCHEMA), output mode append."""
    return events.groupBy("match_id").applyInPandasWithState(
        match_state_function(end_timeout_ms, idle_timeout_ms),
        outputStructType=FEATURE_ROW_SCHEMA,
        stateStructType=STATE_SCHEMA,
        outputMode="append",
        timeoutConf="EventTimeTimeout",
    )


def score_feature_rows(rows: DataFrame, model: Any) -> DataFrame:
    """model.transform on feature rows (the training's scoring call) → the rows plus p_home_win, p_draw, p_away_win."""
    from pyspark.ml.functions import vector_to_array

    scored = model.transform(rows)
    probability = vector_to_array(F.col("probability"))
    return scored.select(*rows.columns, *[probability[k].alias(name) for k, name in enumerate(PROBABILITY_COLUMNS)])


__all__ = [
    "FEATURE_ROW_SCHEMA",
    "LwpModelMismatchError",
    "MatchStream",
    "PROBABILITY_COLUMNS",
    "check_model_metadata",
    "lwp_feature_rows",
    "match_state_function",
    "read_model_metadata",
    "score_feature_rows",
    "stream_events",
]
