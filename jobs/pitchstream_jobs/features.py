"""The live win-probability features, defined once: training (train_lwp) and streaming inference use this module.

A match is folded event by event into a :class:`MatchState` (plain Python, serialisable to JSON so
a streaming job can keep it in Spark state); :meth:`MatchState.features` reads the feature vector
of the game state "now" or at the start of a given minute. :func:`game_states` turns one match's
events (in event order) into the game states training uses: one at the start of every minute of
each period, and one right after each goal and each red card.

Conventions (docs/features.md has the table):

* Sides are home and away; every ``*_diff`` is home minus away.
* Goals: a Shot whose outcome is Goal (periods 1–4; the shoot-out, period 5, is ignored), and an
  "Own Goal For" event, credited to its team (its "Own Goal Against" twin is not counted again).
* Red cards: a Foul Committed or Bad Behaviour card "Red Card" or "Second Yellow".
* Played time: seconds played so far, summed over periods (a period's length is its last event's
  time within it), so that "the last 10 minutes" crosses half-time correctly.
* Possession: the time between two consecutive events of a period is credited to the team in
  possession at the earlier event. An event stamped earlier than the one before it in its period (a
  StatsBomb artefact: its clock restarts) counts at the time of that one, so no time is credited
  twice.
* Passes into the final third: completed passes (no outcome) that start before x = 80 and end at
  x >= 80 (StatsBomb draws every team attacking towards x = 120).
* Three-sixty: for each event of a side with a frame, the opponents seen goal-side of the ball
  (x greater than the actor's x); averaged per side over the frames seen so far. ``has_360`` is 0
  until the first frame, and the 360 averages are 0 while it is. Spark counts them per event
  (:func:`frame_opponents_goal_side`, through :func:`state_inputs`); the state adds the counts up.
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any, Deque, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple

FEATURE_SET_VERSION = "lwp-features-2"

PERIOD_START_MINUTES: Mapping[int, int] = {1: 0, 2: 45, 3: 90, 4: 105, 5: 120}
RECENT_WINDOW_SECONDS = 600
FINAL_THIRD_X = 80.0
RED_CARDS = frozenset({"Red Card", "Second Yellow"})
CARD_EVENT_TYPES = frozenset({"Foul Committed", "Bad Behaviour"})

#: The feature vector, in model order: (name, description).
FEATURES: Tuple[Tuple[str, str], ...] = (
    ("minute", "Match minute of the state (StatsBomb minute: the second half starts at 45)."),
    ("period", "Period of the state: 1, 2 halves; 3, 4 extra time."),
    ("home_goals", "Goals of the home side so far (own goals credited to the side that benefits)."),
    ("away_goals", "Goals of the away side so far."),
    ("goal_diff", "home_goals - away_goals."),
    ("goal_diff_x_time", "goal_diff * minute / 90: a lead weighs more the later it is."),
    ("projected_goal_diff", "goal_diff + xg_diff / max(minute, 10) * max(90 - minute, 0): the lead projected to full time at the xG rates so far."),
    ("home_red_cards", "Red cards (including second yellows) shown to the home side so far."),
    ("away_red_cards", "Red cards shown to the away side so far."),
    ("red_card_diff", "home_red_cards - away_red_cards."),
    ("home_shots", "Shots by the home side so far."),
    ("away_shots", "Shots by the away side so far."),
    ("shots_diff", "home_shots - away_shots."),
    ("home_xg", "Sum of StatsBomb xG of the home side's shots so far."),
    ("away_xg", "Sum of StatsBomb xG of the away side's shots so far."),
    ("xg_diff", "home_xg - away_xg."),
    ("home_shots_last10", "Shots by the home side in the last 10 played minutes."),
    ("away_shots_last10", "Shots by the away side in the last 10 played minutes."),
    ("home_xg_last10", "xG of the home side in the last 10 played minutes."),
    ("away_xg_last10", "xG of the away side in the last 10 played minutes."),
    ("xg_diff_last10", "home_xg_last10 - away_xg_last10."),
    ("home_possession_share", "Share of possession time of the home side so far (0.5 before any is measured)."),
    ("home_final_third_passes", "Completed passes of the home side into the final third so far."),
    ("away_final_third_passes", "Completed passes of the away side into the final third so far."),
    ("final_third_passes_diff", "home_final_third_passes - away_final_third_passes."),
    ("has_360", "1 once a three-sixty frame has been seen in the match, else 0 (then the 360 features are 0)."),
    ("home_360_opponents_goal_side", "Mean number of opponents goal-side of the ball in the home side's frames so far."),
    ("away_360_opponents_goal_side", "Mean number of opponents goal-side of the ball in the away side's frames so far."),
)

FEATURE_NAMES: Tuple[str, ...] = tuple(name for name, _ in FEATURES)

#: The score-and-time reference model's inputs (a subset of FEATURES plus one interaction).
SCORE_TIME_FEATURES: Tuple[str, ...] = ("minute", "goal_diff", "goal_diff_x_time")

#: The contract fields the state is computed from (a projection of the event contract).
EVENT_FIELDS: Tuple[str, ...] = (
    "index",
    "period",
    "minute",
    "second",
    "type",
    "team_id",
    "possession_team_id",
    "location",
    "end_location",
    "pass_outcome",
    "shot_xg",
    "shot_outcome",
    "card",
    "freeze_frame",
)

#: An event's three-sixty frame as the state reads it: the opponents in it goal-side of the ball
#: (see frame_opponents_goal_side); null when the event has no frame or no location.
FRAME_OPPONENTS_GOAL_SIDE = "frame_opponents_goal_side"

#: The columns of an event the state reads (state_inputs): the fields, the frame reduced to one count.
EVENT_COLUMNS: Tuple[str, ...] = tuple(name for name in EVENT_FIELDS if name != "freeze_frame") + (FRAME_OPPONENTS_GOAL_SIDE,)


def frame_opponents_goal_side(freeze_frame: Any, location: Any) -> Any:
    """Spark column: the players of the frame who are not teammates (teammate false or unknown) and
    stand at a greater x than the event (a player without a location counts at x = 0); null when the
    frame is null or empty or the event has no location.

    Computed by Spark so that the frames (a list of players per event) never reach Python: the
    state only adds this count up, and training and streaming both get it from state_inputs.
    """
    from pyspark.sql import functions as F

    def player_x(player: Any) -> Any:
        point = player["location"]
        x, y = F.try_element_at(point, F.lit(1)), F.try_element_at(point, F.lit(2))
        return F.when(x.isNotNull() & y.isNotNull(), x).otherwise(F.lit(0.0))

    ball_x = F.try_element_at(location, F.lit(1))
    goal_side = F.size(F.filter(freeze_frame, lambda p: ~F.coalesce(p["teammate"], F.lit(False)) & (player_x(p) > ball_x)))
    return F.when(freeze_frame.isNotNull() & (F.size(freeze_frame) > 0) & _valid_point(location), goal_side)


def _valid_point(point: Any) -> Any:
    from pyspark.sql import functions as F

    return point.isNotNull() & F.try_element_at(point, F.lit(1)).isNotNull() & F.try_element_at(point, F.lit(2)).isNotNull()


def state_inputs(events: Any, *keep: str) -> Any:
    """Spark DataFrame of events with the EVENT_FIELDS → the columns `keep` + EVENT_COLUMNS, what the
    state folds: the one projection training (game_states_frame) and streaming (stream_events) use."""
    from pyspark.sql import functions as F

    frame = frame_opponents_goal_side(F.col("freeze_frame"), F.col("location")).alias(FRAME_OPPONENTS_GOAL_SIDE)
    return events.select(*keep, *[name for name in EVENT_COLUMNS if name != FRAME_OPPONENTS_GOAL_SIDE], frame)


#: Labels of the final result, in ordinal order (the RPS relies on it).
OUTCOMES: Tuple[str, ...] = ("home_win", "draw", "away_win")


def result_label(home_score: int, away_score: int) -> int:
    """0 home win, 1 draw, 2 away win."""
    return 0 if home_score > away_score else 1 if home_score == away_score else 2


def _point(value: Any) -> Optional[Tuple[float, float]]:
    if value is None:
        return None
    values = list(value)
    if len(values) < 2 or values[0] is None or values[1] is None:
        return None
    return float(values[0]), float(values[1])


def _field(record: Any, name: str) -> Any:
    # Plain dicts (pandas records) first: an isinstance test against typing's Mapping costs about a
    # microsecond, and the state reads a dozen fields of every event.
    if type(record) is dict:
        return record.get(name)
    return record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)


def _missing(value: Any) -> bool:
    # pandas hands missing numbers as NaN and missing strings as None.
    return value is None or (isinstance(value, float) and value != value)


class MatchState:
    """Everything the features need about a match so far; updated one event at a time, in event order."""

    def __init__(self, home_team_id: int, away_team_id: int) -> None:
        self.home_team_id = int(home_team_id)
        self.away_team_id = int(away_team_id)
        self.period = 1
        self.minute = 0
        self.goals = [0, 0]
        self.red_cards = [0, 0]
        self.shots = [0, 0]
        self.xg = [0.0, 0.0]
        self.final_third_passes = [0, 0]
        self.possession_seconds = [0.0, 0.0]
        self.frames = [0, 0]
        self.opponents_goal_side = [0, 0]
        # Played seconds at the start of the current period, and the latest event time within it.
        self.period_base_seconds = 0.0
        self.period_elapsed_seconds = 0.0
        self.last_possession_side: Optional[int] = None
        self.last_event_elapsed: Optional[float] = None
        # Shots of the last RECENT_WINDOW_SECONDS: (played seconds, side, xg).
        self.recent_shots: Deque[Tuple[float, int, float]] = deque()

    # -- folding events ---------------------------------------------------------------------
    def side(self, team_id: Any) -> Optional[int]:
        """0 for the home team, 1 for the away team, None for anything else."""
        if _missing(team_id):
            return None
        team = int(team_id)
        return 0 if team == self.home_team_id else 1 if team == self.away_team_id else None

    def _enter_period(self, period: int) -> None:
        if period != self.period:
            self.period_base_seconds += self.period_elapsed_seconds
            self.period_elapsed_seconds = 0.0
            self.period = period
            self.last_possession_side = None
            self.last_event_elapsed = None

    def played_seconds_at(self, period: int, minute: int, second: float = 0.0) -> float:
        """Played seconds at a time of the current period (or of the next one, which starts at its base)."""
        base = self.period_base_seconds if period == self.period else self.period_base_seconds + self.period_elapsed_seconds
        return base + (minute - PERIOD_START_MINUTES[period]) * 60 + second

    def update(self, event: Any) -> List[str]:
        """Folds one event into the state; returns what it triggers: 'goal' and/or 'red_card' (else [])."""
        period = int(_field(event, "period"))
        if period not in (1, 2, 3, 4):
            return []  # the shoot-out changes neither the score nor the game
        self._enter_period(period)
        minute = int(_field(event, "minute"))
        elapsed = (minute - PERIOD_START_MINUTES[period]) * 60 + float(_field(event, "second"))
        if self.last_event_elapsed is not None and elapsed < self.last_event_elapsed:
            # A clock that runs back within a period (StatsBomb stamps a few events, e.g. the last
            # Ball Receipt* of a half, as if the period had restarted): the event happened at the
            # latest time seen, as lib's event_time has it; else the next event would credit the whole
            # period again to the side in possession.
            elapsed, minute = self.last_event_elapsed, self.minute
        self.minute = minute
        if self.last_event_elapsed is not None and self.last_possession_side is not None and elapsed > self.last_event_elapsed:
            self.possession_seconds[self.last_possession_side] += elapsed - self.last_event_elapsed
        self.last_event_elapsed = elapsed
        self.period_elapsed_seconds = max(self.period_elapsed_seconds, elapsed)
        self.last_possession_side = self.side(_field(event, "possession_team_id"))
        played = self.period_base_seconds + elapsed

        side = self.side(_field(event, "team_id"))
        kind = _field(event, "type")
        triggers: List[str] = []
        if side is None:
            return triggers
        if kind == "Shot":
            xg = _field(event, "shot_xg")
            xg = 0.0 if _missing(xg) else float(xg)
            self.shots[side] += 1
            self.xg[side] += xg
            self.recent_shots.append((played, side, xg))
            if _field(event, "shot_outcome") == "Goal":
                self.goals[side] += 1
                triggers.append("goal")
        elif kind == "Own Goal For":
            self.goals[side] += 1
            triggers.append("goal")
        elif kind == "Pass":
            start, end = _point(_field(event, "location")), _point(_field(event, "end_location"))
            if _missing(_field(event, "pass_outcome")) and start and end and start[0] < FINAL_THIRD_X <= end[0]:
                self.final_third_passes[side] += 1
        if kind in CARD_EVENT_TYPES and _field(event, "card") in RED_CARDS:
            self.red_cards[side] += 1
            triggers.append("red_card")
        goal_side = _field(event, FRAME_OPPONENTS_GOAL_SIDE)
        if not _missing(goal_side):
            self.frames[side] += 1
            self.opponents_goal_side[side] += int(goal_side)
        return triggers

    # -- reading features --------------------------------------------------------------------
    def features(self, minute: Optional[int] = None, period: Optional[int] = None) -> Dict[str, float]:
        """The feature vector now (after the last event), or at the start of `minute` of `period` (default: the current period)."""
        if minute is None:
            period, minute = self.period, self.minute
            now = self.period_base_seconds + (self.last_event_elapsed if self.last_event_elapsed is not None else 0.0)
        else:
            period = self.period if period is None else int(period)
            minute = int(minute)
            now = self.played_seconds_at(period, minute)
        recent_shots = [0, 0]
        recent_xg = [0.0, 0.0]
        for played, side, xg in self.recent_shots:
            if now - RECENT_WINDOW_SECONDS < played <= now:
                recent_shots[side] += 1
                recent_xg[side] += xg
        possession_total = self.possession_seconds[0] + self.possession_seconds[1]
        has_360 = 1 if (self.frames[0] + self.frames[1]) > 0 else 0
        values = {
            "minute": float(minute),
            "period": float(period),
            "home_goals": float(self.goals[0]),
            "away_goals": float(self.goals[1]),
            "goal_diff": float(self.goals[0] - self.goals[1]),
            "goal_diff_x_time": float(self.goals[0] - self.goals[1]) * minute / 90.0,
            "projected_goal_diff": float(self.goals[0] - self.goals[1])
            + (self.xg[0] - self.xg[1]) / max(minute, 10) * max(90 - minute, 0),
            "home_red_cards": float(self.red_cards[0]),
            "away_red_cards": float(self.red_cards[1]),
            "red_card_diff": float(self.red_cards[0] - self.red_cards[1]),
            "home_shots": float(self.shots[0]),
            "away_shots": float(self.shots[1]),
            "shots_diff": float(self.shots[0] - self.shots[1]),
            "home_xg": self.xg[0],
            "away_xg": self.xg[1],
            "xg_diff": self.xg[0] - self.xg[1],
            "home_shots_last10": float(recent_shots[0]),
            "away_shots_last10": float(recent_shots[1]),
            "home_xg_last10": recent_xg[0],
            "away_xg_last10": recent_xg[1],
            "xg_diff_last10": recent_xg[0] - recent_xg[1],
            "home_possession_share": self.possession_seconds[0] / possession_total if possession_total > 0 else 0.5,
            "home_final_third_passes": float(self.final_third_passes[0]),
            "away_final_third_passes": float(self.final_third_passes[1]),
            "final_third_passes_diff": float(self.final_third_passes[0] - self.final_third_passes[1]),
            "has_360": float(has_360),
            "home_360_opponents_goal_side": self.opponents_goal_side[0] / self.frames[0] if self.frames[0] else 0.0,
            "away_360_opponents_goal_side": self.opponents_goal_side[1] / self.frames[1] if self.frames[1] else 0.0,
        }
        return values

    def prune(self, now_played_seconds: float) -> None:
        """Drops shots older than the recent window (keeps the state small in a stream)."""
        while self.recent_shots and self.recent_shots[0][0] <= now_played_seconds - RECENT_WINDOW_SECONDS:
            self.recent_shots.popleft()

    # -- serialisation (for Spark state in the streaming job) ---------------------------------
    def to_json(self) -> str:
        record = dict(self.__dict__)
        record["recent_shots"] = [list(shot) for shot in self.recent_shots]
        return json.dumps(record)

    @classmethod
    def from_json(cls, text: str) -> "MatchState":
        record = json.loads(text)
        state = cls(record["home_team_id"], record["away_team_id"])
        state.__dict__.update(record)
        state.recent_shots = deque(tuple(shot) for shot in record["recent_shots"])
        return state


def score_time_features(values: Mapping[str, float]) -> Dict[str, float]:
    """Inputs of the score-and-time reference: minute, goal difference, and goal difference × minute / 90."""
    return {"minute": values["minute"], "goal_diff": values["goal_diff"], "goal_diff_x_time": values["goal_diff"] * values["minute"] / 90.0}


#: Columns of a game-state row besides the features: which state it is.
STATE_KEY_COLUMNS: Tuple[str, ...] = ("match_id", "state_index", "trigger")


class GameStateStepper:
    """game_states one event at a time: a MatchState plus the next minute to emit; serialisable to JSON.

    ``step(event)`` returns the states that event emits (before it: one per minute boundary it
    crosses; after it: one per goal or red card it brings), exactly as :func:`game_states` yields
    them, so a stream that feeds a match's events in event order emits the training's states.
    """

    def __init__(self, home_team_id: int, away_team_id: int) -> None:
        self.state = MatchState(home_team_id, away_team_id)
        self.pointer: Optional[Tuple[int, int]] = None  # (period, next minute to emit)
        self.count = 0

    def step(self, event: Any) -> List[Dict[str, Any]]:
        period = int(_field(event, "period"))
        if period not in (1, 2, 3, 4):
            return []
        minute = int(_field(event, "minute"))
        out: List[Dict[str, Any]] = []
        if self.pointer is None or self.pointer[0] != period:
            self.pointer = (period, PERIOD_START_MINUTES[period])
        while self.pointer[1] <= minute:
            row = self.state.features(minute=self.pointer[1], period=period)
            out.append({"trigger": "minute", "state_index": self.count, **row})
            self.count += 1
            self.pointer = (period, self.pointer[1] + 1)
        for trigger in self.state.update(event):
            out.append({"trigger": trigger, "state_index": self.count, **self.state.features()})
            self.count += 1
        self.state.prune(self.state.period_base_seconds + self.state.period_elapsed_seconds)
        return out

    def to_json(self) -> str:
        return json.dumps({"state": self.state.to_json(), "pointer": list(self.pointer) if self.pointer else None, "count": self.count})

    @classmethod
    def from_json(cls, text: str) -> "GameStateStepper":
        record = json.loads(text)
        stepper = cls.__new__(cls)
        stepper.state = MatchState.from_json(record["state"])
        stepper.pointer = tuple(record["pointer"]) if record["pointer"] else None  # type: ignore[assignment]
        stepper.count = int(record["count"])
        return stepper


def game_states(events: Iterable[Any], home_team_id: int, away_team_id: int) -> Iterator[Dict[str, Any]]:
    """The game states of one match, from its events in event order.

    Before the first event of minute m of a period, one state per minute from the last emitted
    minute up to m (trigger 'minute'); after a goal or a red card, one state (trigger 'goal' or
    'red_card'). Each state is {'trigger', 'state_index', **features}; state_index counts from 0.
    The streaming job (stream_lwp) runs the same :class:`GameStateStepper` event by event.
    """
    stepper = GameStateStepper(home_team_id, away_team_id)
    for event in events:
        yield from stepper.step(event)


def game_state_rows(events: Sequence[Any], home_team_id: int, away_team_id: int, match_id: int) -> List[Dict[str, Any]]:
    """game_states as a list of flat rows with match_id (what applyInPandas returns per match)."""
    return [{"match_id": int(match_id), **row} for row in game_states(events, home_team_id, away_team_id)]
