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

The producer's loop rounds send the same match again (new event ids, event times moved on by the
span of the data set), and every record carries its ``round`` (the contract field; null or absent
reads as 0). A match's *send* is told by that number alone, never by its clock: StatsBomb stamps a
few events (the last ``Ball Receipt*`` of a half) as if the clock had restarted, so a send told by
its kick-off (event time minus match clock) would start a new replay in the middle of a match. A
record of a later round than the one being folded flushes the current send (gaps skipped) and
starts the match again from a fresh state with ``replay`` = that round; records of an earlier round
are dropped as late. One batch may hold the end of one round and the start of the next: it is split
by round first and each send is folded in index order. The ``replay`` column is the round.

The penalty shoot-out (period 5) changes neither the score nor the features, and the model was
trained on results after play; from its first event the stream emits shoot-out states instead (see
:class:`ShootoutTally`): one as it starts and one after every kick, with the shoot-out score and the
probability of each side winning it, computed from that score (:func:`shootout_win_probability`).
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
STREAM_KEY_COLUMNS: Tuple[str, ...] = ("match_id", "home_team_id", "away_team_id", "round", "id", "event_time")

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
        # The shoot-out's score and P(home side wins it): null before the shoot-out (ShootoutTally).
        StructField("home_shootout_goals", IntegerType(), True),
        StructField("away_shootout_goals", IntegerType(), True),
        StructField("home_shootout_kicks", IntegerType(), True),
        StructField("away_shootout_kicks", IntegerType(), True),
        StructField("p_home_wins_shootout", DoubleType(), True),
    ]
    + [StructField(name, DoubleType(), False) for name in FEATURE_NAMES]
)

#: The columns of FEATURE_ROW_SCHEMA that only shoot-out states fill.
SHOOTOUT_COLUMNS: Tuple[str, ...] = (
    "home_shootout_goals", "away_shootout_goals", "home_shootout_kicks", "away_shootout_kicks", "p_home_wins_shootout"
)

END_PERIOD_FROM = 2
SHOOTOUT_PERIOD = 5
DEFAULT_END_TIMEOUT_MS = 5 * 60_000
DEFAULT_IDLE_TIMEOUT_MS = 60 * 60_000
#: Share of shoot-out kicks that are scored (about three in four in top-level football), the one
#: input of the shoot-out win probability besides the score.
SHOOTOUT_CONVERSION = 0.75
#: Kicks each side takes before sudden death.
SHOOTOUT_KICKS = 5


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


def _binomial(n: int, p: float) -> List[float]:
    """P(k successes in n trials), k = 0..n."""
    from math import comb

    return [comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)]


def shootout_win_probability(home_goals: int, home_kicks: int, away_goals: int, away_kicks: int, conversion: float = SHOOTOUT_CONVERSION) -> float:
    """P(the home side wins a penalty shoot-out) from its score, every kick scored with probability `conversion`.

    Each side takes SHOOTOUT_KICKS kicks, then one each per round of sudden death. The order of the
    kicks does not matter: a shoot-out that stops early (one side can no longer catch up) has the
    winner it would have had with every kick taken. So with r rounds to complete (five, or the
    sudden-death round under way), the sides' remaining kicks are independent binomials; a level
    score after them goes on to sudden death, which either side wins with probability 1/2.
    """
    rounds = max(SHOOTOUT_KICKS, home_kicks, away_kicks)
    home_left, away_left = _binomial(rounds - home_kicks, conversion), _binomial(rounds - away_kicks, conversion)
    win = 0.0
    for home_more, p_home in enumerate(home_left):
        for away_more, p_away in enumerate(away_left):
            margin = (home_goals + home_more) - (away_goals + away_more)
            win += p_home * p_away * (1.0 if margin > 0 else 0.5 if margin == 0 else 0.0)
    return win


class ShootoutTally:
    """A penalty shoot-out as the stream follows it: kicks and goals per side (0 home, 1 away).

    What a viewer sees: the match's score and features stay those at the end of extra time (the
    model's result is the result after play, and the shoot-out changes it no more than it does in a
    match list); the shoot-out states carry its score and P(home side wins it), and the job shows
    that probability as P(home win) / P(away win) with P(draw) = 0, since a shoot-out always has a
    winner. The last kick's state says who won (probability 1 or 0).
    """

    def __init__(self) -> None:
        self.goals = [0, 0]
        self.kicks = [0, 0]
        self.started = False

    def step(self, event: Mapping[str, Any], side: Optional[int]) -> List[Tuple[str, Dict[str, Any]]]:
        """Folds one period-5 event; returns the states it emits as (trigger, shoot-out columns):
        'shootout_start' at the first event of the shoot-out, 'shootout_kick' after each kick."""
        states: List[Tuple[str, Dict[str, Any]]] = []
        if not self.started:
            self.started = True
            states.append(("shootout_start", self.columns()))
        if event.get("type") == "Shot" and side is not None:
            self.kicks[side] += 1
            self.goals[side] += 1 if event.get("shot_outcome") == "Goal" else 0
            states.append(("shootout_kick", self.columns()))
        return states

    def columns(self) -> Dict[str, Any]:
        return {
            "home_shootout_goals": self.goals[0],
            "away_shootout_goals": self.goals[1],
            "home_shootout_kicks": self.kicks[0],
            "away_shootout_kicks": self.kicks[1],
            "p_home_wins_shootout": shootout_win_probability(self.goals[0], self.kicks[0], self.goals[1], self.kicks[1]),
        }

    def to_json(self) -> Dict[str, Any]:
        return {"goals": self.goals, "kicks": self.kicks, "started": self.started}

    @classmethod
    def from_json(cls, record: Optional[Mapping[str, Any]]) -> "ShootoutTally":
        tally = cls()
        if record:
            tally.goals, tally.kicks, tally.started = list(record["goals"]), list(record["kicks"]), bool(record["started"])
        return tally


#: Shoot-out columns of a state that is not part of a shoot-out.
NO_SHOOTOUT: Dict[str, Any] = {name: None for name in SHOOTOUT_COLUMNS}


def event_round(event: Mapping[str, Any]) -> int:
    """The producer's loop round an event was sent in; null or absent (another producer) is round 0."""
    return _int(event.get("round")) or 0


class MatchStream:
    """One match's streaming state: the stepper, what arrived early, and when the match ended."""

    def __init__(self, home_team_id: int, away_team_id: int) -> None:
        self.home_team_id = int(home_team_id)
        self.away_team_id = int(away_team_id)
        self.stepper = GameStateStepper(home_team_id, away_team_id)
        self.shootout = ShootoutTally()
        self.replay: Optional[int] = None  # the round being folded; None until the first event
        self.next_index = 1
        self.pending: Dict[int, Dict[str, Any]] = {}
        self.ended = False
        self.last_event_time_ms = 0

    # -- serialisation -------------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps(
            {
                "home_team_id": self.home_team_id,
                "away_team_id": self.away_team_id,
                "stepper": self.stepper.to_json(),
                "shootout": self.shootout.to_json(),
                "replay": self.replay,
                "next_index": self.next_index,
                "pending": list(self.pending.values()),
                "ended": self.ended,
                "last_event_time_ms": self.last_event_time_ms,
            },
            default=_json_default,
        )

    @classmethod
    def from_json(cls, text: str) -> "MatchStream":
        record = json.loads(text)
        stream = cls(record["home_team_id"], record["away_team_id"])
        stream.stepper = GameStateStepper.from_json(record["stepper"])
        stream.shootout = ShootoutTally.from_json(record.get("shootout"))  # absent in a checkpoint of an older version
        stream.replay = _int(record["replay"])
        stream.next_index = int(record["next_index"])
        stream.pending = {int(event["index"]): event for event in record["pending"]}
        stream.ended = bool(record["ended"])
        stream.last_event_time_ms = int(record["last_event_time_ms"])
        return stream

    # -- folding events ------------------------------------------------------------------------
    def add(self, events: Sequence[Dict[str, Any]], match_id: int, now_ms: int) -> List[Dict[str, Any]]:
        """Takes a batch of this match's events (any order); returns the feature rows of the states they complete."""
        rows: List[Dict[str, Any]] = []
        for send_round, send in _sends(events):
            if self.replay is None:
                self.replay = send_round
            elif send_round < self.replay:
                continue  # late records of an earlier round
            elif send_round > self.replay:
                rows.extend(self.flush(match_id, now_ms, skip_gaps=True))
                self._start_replay(send_round)
            for event in send:
                index = int(event["index"])
                if index >= self.next_index:
                    self.pending.setdefault(index, event)  # else a duplicate of a consumed event (a replayed Kafka record)
            rows.extend(self.flush(match_id, now_ms, skip_gaps=False))
        return rows

    def _start_replay(self, round_: int) -> None:
        self.__init__(self.home_team_id, self.away_team_id)  # type: ignore[misc]
        self.replay = round_

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
        period = int(event["period"])
        if event.get("type") == "Half End" and period >= END_PERIOD_FROM:
            self.ended = True
        elif period in (3, 4) and event.get("type") != "Half End":
            self.ended = False  # extra time after all
        if period == SHOOTOUT_PERIOD:
            # The score and features stay those at the end of play; the clock is the kick's.
            features = self.stepper.state.features()
            side = self.stepper.state.side(event.get("team_id"))
            states = [
                {**features, **columns, "trigger": trigger, "state_index": self._next_state_index(), "clock_minute": int(event["minute"])}
                for trigger, columns in self.shootout.step(event, side)
            ]
        else:
            states = [{**state, **NO_SHOOTOUT, "clock_minute": int(state["minute"])} for state in self.stepper.step(event)]
        rows = []
        for state in states:
            second = 0.0 if state["trigger"] == "minute" else float(event["second"])
            rows.append(
                {
                    "match_id": int(match_id),
                    "replay": int(self.replay or 0),
                    "state_index": int(state["state_index"]),
                    "trigger": state["trigger"],
                    "clock": _clock(state["clock_minute"], second),
                    "home_team_id": self.home_team_id,
                    "away_team_id": self.away_team_id,
                    "event_id": event.get("id"),
                    "event_index": int(event["index"]),
                    "event_type": event.get("type"),
                    "event_team_id": _int(event.get("team_id")),
                    "event_time_ms": event_time_ms,
                    "kafka_timestamp_ms": int(event["kafka_timestamp_ms"]),
                    "state_emitted_ms": now_ms,
                    **{name: state[name] for name in SHOOTOUT_COLUMNS},
                    **{name: float(state[name]) for name in FEATURE_NAMES},
                }
            )
        return rows

    def _next_state_index(self) -> int:
        # Shoot-out states continue the stepper's numbering (the stepper emits nothing in period 5).
        index = self.stepper.count
        self.stepper.count += 1
        return index

    def timeout_ms(self, end_timeout_ms: int, idle_timeout_ms: int) -> int:
        """The event time at which the group should be woken: a pending gap, the end of the match, or idleness."""
        if self.pending:
            return min(int(event["event_time_ms"]) for event in self.pending.values())
        return self.last_event_time_ms + (end_timeout_ms if self.ended else idle_timeout_ms)


def _sends(events: Sequence[Dict[str, Any]]) -> List[Tuple[int, List[Dict[str, Any]]]]:
    """A batch's events split by loop round, rounds in ascending order, each in index order."""
    sends: Dict[int, List[Dict[str, Any]]] = {}
    for event in events:
        sends.setdefault(event_round(event), []).append(event)
    return [(round_, sorted(sends[round_], key=lambda e: int(e["index"]))) for round_ in sorted(sends)]


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
    """model.transform on feature rows (the training's scoring call) → the rows plus p_home_win, p_draw, p_away_win.

    Shoot-out states (p_home_wins_shootout set) show the shoot-out's probabilities instead: P(home
    win) = P(home side wins it), P(draw) = 0 (see ShootoutTally)."""
    from pyspark.ml.functions import vector_to_array

    scored = model.transform(rows)
    probability = vector_to_array(F.col("probability"))
    shootout = F.col("p_home_wins_shootout")
    in_shootout = {"p_home_win": shootout, "p_draw": F.lit(0.0), "p_away_win": F.lit(1.0) - shootout}
    return scored.select(
        *rows.columns,
        *[F.when(shootout.isNotNull(), in_shootout[name]).otherwise(probability[k]).alias(name) for k, name in enumerate(PROBABILITY_COLUMNS)],
    )


__all__ = [
    "FEATURE_ROW_SCHEMA",
    "LwpModelMismatchError",
    "MatchStream",
    "SHOOTOUT_COLUMNS",
    "ShootoutTally",
    "event_round",
    "shootout_win_probability",
    "PROBABILITY_COLUMNS",
    "check_model_metadata",
    "lwp_feature_rows",
    "match_state_function",
    "read_model_metadata",
    "score_feature_rows",
    "stream_events",
]
