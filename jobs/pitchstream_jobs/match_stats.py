"""Live match statistics: event-time windows per match, then one row per team (pure transforms).

One stateful aggregation per (match_id, window) computes, with conditional aggregates, the figures
of both sides at once — so each row also knows the whole window, which the possession share needs.
``team_rows`` then splits each window row into a home row and an away row (stateless; the streaming
query applies it after the aggregation). Units: StatsBomb pitch coordinates (120 × 80 yards, each team attacking left to
right in its own events); lengths and distances in yards.

Definitions (the README's "Live match statistics" section quotes these):

* events: the team's events in the window.
* passes / passes_completed: Pass events; completed when pass_outcome is null (StatsBomb's rule).
  pass_completion_pct = 100 × completed / passes (null without passes).
* pass_length_{min,max,mean,var}_yd: over the team's passes; variance is the population variance.
* carry_distance_yd: Σ |end_location − location| over Carry events; progressive_carry_distance_yd:
  Σ max(0, end_x − x) over the same carries (gain towards the opponent's goal).
* shots, xg: Shot events and the sum of their statsbomb_xg.
* action_{x,y}_{mean,var}: mean and population variance of the location of the team's events
  that have one.
* possession_share: the number of the window's events (both teams' events) during which the team
  had the ball (possession_team_id), divided by the number of the window's events. The two sides
  add up to 1 in every window.
* pressures: Pressure events; duels: Duel events; duels_won: duels with outcome Won, Success,
  Success In Play or Success Out.
* frames: the team's events with a three-sixty freeze frame; visible_teammates_mean and
  visible_opponents_mean: mean number of teammates (the actor excluded) and opponents in those
  frames; balance_10m_mean: mean of (teammates, actor included, − opponents) within 10 m
  (10.936 yd) of the event's location, over framed events with a location.
"""

from __future__ import annotations

from typing import Callable, List, Optional, Tuple

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

SIDES = ("home", "away")
METRES_PER_YARD = 0.9144
BALANCE_RADIUS_YD = 10.0 / METRES_PER_YARD
DUEL_WON_OUTCOMES = ("Won", "Success", "Success In Play", "Success Out")

#: The event fields the statistics read (a subset of the contract).
STAT_FIELDS = [
    "match_id",
    "home_team_id",
    "away_team_id",
    "event_time",
    "type",
    "team_id",
    "possession_team_id",
    "location",
    "end_location",
    "pass_length",
    "pass_outcome",
    "shot_xg",
    "duel_outcome",
    "freeze_frame",
]

KEY_COLUMNS = ["match_id", "home_team_id", "away_team_id", "window"]


def _x(point: Column) -> Column:
    return F.try_element_at(point, F.lit(1))


def _y(point: Column) -> Column:
    return F.try_element_at(point, F.lit(2))


def _frame_count(frame: Column, keep: Callable[[Column], Column]) -> Column:
    return F.size(F.filter(frame, keep))


def _balance_10m(frame: Column, location: Column) -> Column:
    radius2 = F.lit(BALANCE_RADIUS_YD * BALANCE_RADIUS_YD)

    def near(player: Column) -> Column:
        dx = _x(player["location"]) - _x(location)
        dy = _y(player["location"]) - _y(location)
        return (dx * dx + dy * dy) <= radius2

    return _frame_count(frame, lambda p: p["teammate"] & near(p)) - _frame_count(frame, lambda p: ~p["teammate"] & near(p))


#: Per-event freeze-frame counts, computed by with_frame_counts before the aggregation.
FRAME_TEAMMATES, FRAME_OPPONENTS, FRAME_BALANCE = "_frame_teammates", "_frame_opponents", "_frame_balance_10m"


def with_frame_counts(events: DataFrame) -> DataFrame:
    """Adds each event's frame counts: visible teammates (actor excluded), opponents, 10 m balance.

    Higher-order functions (filter with a lambda) have no generated code: inside the aggregate
    functions they made Spark run the whole aggregation, all of its ~50 aggregates, interpreted.
    Computed here, in a projection of their own, they leave the aggregation whole-stage generated.
    """
    frame = F.col("freeze_frame")
    return events.select(
        "*",
        _frame_count(frame, lambda p: p["teammate"] & ~p["actor"]).alias(FRAME_TEAMMATES),
        _frame_count(frame, lambda p: ~p["teammate"]).alias(FRAME_OPPONENTS),
        _balance_10m(frame, F.col("location")).alias(FRAME_BALANCE),
    )


def side_metrics(side: str) -> List[Tuple[str, Column]]:
    """(name, aggregate) for one side; names are prefixed with the side in the window row."""
    team = F.col(f"{side}_team_id")
    mine = F.col("team_id") == team
    kind = F.col("type")

    def of(condition: Column, value: Column = F.lit(1)) -> Column:
        return F.when(mine & condition, value)

    is_pass = kind == "Pass"
    is_carry = (kind == "Carry") & F.col("location").isNotNull() & F.col("end_location").isNotNull()
    located = F.col("location").isNotNull()
    framed = F.col("freeze_frame").isNotNull()
    dx = _x(F.col("end_location")) - _x(F.col("location"))
    dy = _y(F.col("end_location")) - _y(F.col("location"))
    return [
        ("events", F.count(of(F.lit(True)))),
        ("passes", F.count(of(is_pass))),
        ("passes_completed", F.count(of(is_pass & F.col("pass_outcome").isNull()))),
        ("pass_length_min_yd", F.min(of(is_pass, F.col("pass_length")))),
        ("pass_length_max_yd", F.max(of(is_pass, F.col("pass_length")))),
        ("pass_length_mean_yd", F.avg(of(is_pass, F.col("pass_length")))),
        ("pass_length_var_yd2", F.var_pop(of(is_pass, F.col("pass_length")))),
        ("carries", F.count(of(is_carry))),
        ("carry_distance_yd", F.coalesce(F.sum(of(is_carry, F.sqrt(dx * dx + dy * dy))), F.lit(0.0))),
        ("progressive_carry_distance_yd", F.coalesce(F.sum(of(is_carry, F.greatest(dx, F.lit(0.0)))), F.lit(0.0))),
        ("shots", F.count(of(kind == "Shot"))),
        ("xg", F.coalesce(F.sum(of(kind == "Shot", F.coalesce(F.col("shot_xg"), F.lit(0.0)))), F.lit(0.0))),
        ("action_x_mean", F.avg(of(located, _x(F.col("location"))))),
        ("action_x_var", F.var_pop(of(located, _x(F.col("location"))))),
        ("action_y_mean", F.avg(of(located, _y(F.col("location"))))),
        ("action_y_var", F.var_pop(of(located, _y(F.col("location"))))),
        ("possession_events", F.count(F.when(F.col("possession_team_id") == team, F.lit(1)))),
        ("pressures", F.count(of(kind == "Pressure"))),
        ("duels", F.count(of(kind == "Duel"))),
        ("duels_won", F.count(of((kind == "Duel") & F.col("duel_outcome").isin(*DUEL_WON_OUTCOMES)))),
        ("frames", F.count(of(framed))),
        ("visible_teammates_mean", F.avg(of(framed, F.col(FRAME_TEAMMATES)))),
        ("visible_opponents_mean", F.avg(of(framed, F.col(FRAME_OPPONENTS)))),
        ("balance_10m_mean", F.avg(of(framed & located, F.col(FRAME_BALANCE)))),
    ]


#: The per-team metric columns of side_metrics, in output order. Spelled out rather than read from
#: side_metrics, which builds ~100 Columns through py4j.
METRIC_NAMES = (
    "events", "passes", "passes_completed", "pass_length_min_yd", "pass_length_max_yd", "pass_length_mean_yd",
    "pass_length_var_yd2", "carries", "carry_distance_yd", "progressive_carry_distance_yd", "shots", "xg",
    "action_x_mean", "action_x_var", "action_y_mean", "action_y_var", "possession_events", "pressures", "duels",
    "duels_won", "frames", "visible_teammates_mean", "visible_opponents_mean", "balance_10m_mean",
)


def metric_names() -> List[str]:
    """The per-team metric columns, in output order."""
    return list(METRIC_NAMES)


def window_stats(
    events: DataFrame,
    window_minutes: float = 1.0,
    slide_minutes: Optional[float] = None,
    watermark_delay: str = "10 minutes",
) -> DataFrame:
    """Per (match_id, event-time window): both sides' metrics, the window's event count and
    the newest Kafka timestamp seen. A watermark on event_time bounds the state (update mode)."""
    length = f"{int(round(window_minutes * 60_000))} milliseconds"
    slide = f"{int(round(slide_minutes * 60_000))} milliseconds" if slide_minutes else None
    window = F.window("event_time", length, slide) if slide else F.window("event_time", length)
    aggregates = [expression.alias(f"{side}_{name}") for side in SIDES for name, expression in side_metrics(side)]
    return (
        with_frame_counts(events)
        .withWatermark("event_time", watermark_delay)
        .groupBy(F.col("match_id"), F.col("home_team_id"), F.col("away_team_id"), window.alias("window"))
        .agg(F.count(F.lit(1)).alias("window_events"), F.max("kafka_timestamp").alias("last_kafka_timestamp"), *aggregates)
    )


def _side_struct_sql(side: str) -> str:
    """One side of a window row as a named_struct (SQL text: team_rows builds it in one py4j call)."""
    other = "away" if side == "home" else "home"
    fields = [("team_id", f"{side}_team_id"), ("opponent_id", f"{other}_team_id"), ("side", f"'{side}'")]
    fields += [(name, f"{side}_{name}") for name in METRIC_NAMES]
    fields += [
        ("pass_completion_pct", f"CASE WHEN {side}_passes > 0 THEN {side}_passes_completed * 100.0D / {side}_passes END"),
        ("possession_share", f"{side}_possession_events / window_events"),
    ]
    return "named_struct(" + ", ".join(f"'{name}', {value}" for name, value in fields) + ")"


def team_rows(window_rows: DataFrame) -> DataFrame:
    """Each window row as two team rows (home, away); times in epoch ms.

    Stateless, so the streaming query applies it after its aggregation and Spark plans it once with
    the query: applied inside foreachBatch, it had the whole query planned a second time in every
    micro-batch. Written as SQL text: Column by Column it took a few hundred py4j calls.
    """
    return window_rows.selectExpr(
        "match_id",
        "unix_millis(window.start) AS window_start_ms",
        "unix_millis(window.end) AS window_end_ms",
        "window_events",
        "unix_millis(last_kafka_timestamp) AS last_kafka_timestamp_ms",
        "explode(array(" + ", ".join(_side_struct_sql(side) for side in SIDES) + ")) AS team",
    ).select("match_id", "window_start_ms", "window_end_ms", "team.*", "window_events", "last_kafka_timestamp_ms")
