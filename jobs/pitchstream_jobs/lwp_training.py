"""Transforms of the live win-probability training: events → game states → labelled, split states.

Pure functions of DataFrames (and of small pandas frames on the driver), so that they can be tested
on tiny inputs; the entry script jobs/train_lwp.py wires them together.
"""

from __future__ import annotations

import zlib
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    BooleanType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
)

from pitchstream_jobs.features import EVENT_COLUMNS, FEATURE_NAMES, game_state_rows, result_label

MATCHES_SCHEMA = StructType(
    [
        StructField("match_id", LongType(), False),
        StructField("competition_id", IntegerType(), False),
        StructField("season_id", IntegerType(), False),
        StructField("season_name", StringType(), False),
        StructField("match_date", StringType(), False),
        StructField("kick_off_ms", LongType(), False),
        StructField("home_team_id", IntegerType(), False),
        StructField("away_team_id", IntegerType(), False),
        StructField("home_score", IntegerType(), False),
        StructField("away_score", IntegerType(), False),
        StructField("synthetic", BooleanType(), False),
    ]
)

STATES_SCHEMA = StructType(
    [
        StructField("match_id", LongType(), False),
        StructField("state_index", IntegerType(), False),
        StructField("trigger", StringType(), False),
    ]
    + [StructField(name, DoubleType(), False) for name in FEATURE_NAMES]
)


def read_matches(spark: SparkSession, path: str) -> DataFrame:
    """The matches table written by lib/training (NDJSON, explicit schema)."""
    return spark.read.schema(MATCHES_SCHEMA).json(path)


def event_projection(events: DataFrame) -> DataFrame:
    """Only the contract fields the features read, plus the match keys."""
    return events.select("match_id", "home_team_id", "away_team_id", *[c for c in EVENT_COLUMNS])


def _states_of_match(pdf: pd.DataFrame) -> pd.DataFrame:
    ordered = pdf.sort_values("index", kind="stable")
    first = ordered.iloc[0]
    rows = game_state_rows(ordered.to_dict("records"), int(first["home_team_id"]), int(first["away_team_id"]), int(first["match_id"]))
    columns = [field.name for field in STATES_SCHEMA.fields]
    return pd.DataFrame(rows, columns=columns)


def game_states_frame(events: DataFrame) -> DataFrame:
    """One row per game state (STATES_SCHEMA): the feature module applied match by match, events in order."""
    return event_projection(events).groupBy("match_id").applyInPandas(_states_of_match, schema=STATES_SCHEMA)


def label_states(states: DataFrame, matches: DataFrame) -> DataFrame:
    """Adds the final result label (0 home win, 1 draw, 2 away win) and the season of each state."""
    label = F.when(F.col("home_score") > F.col("away_score"), 0).when(F.col("home_score") == F.col("away_score"), 1).otherwise(2)
    return (
        states.join(matches.select("match_id", "season_id", "season_name", "home_score", "away_score"), "match_id")
        .withColumn("label", label.cast("double"))
    )


def _stable_fraction(match_id: int, seed: int) -> float:
    return zlib.crc32(f"{seed}:{match_id}".encode()) / 2**32


def choose_split(
    matches: pd.DataFrame, mode: str = "auto", test_fraction: float = 0.25, test_seasons: Optional[int] = None, seed: int = 7
) -> Tuple[pd.DataFrame, str]:
    """Assigns every match to 'train' or 'test'; returns (match_id, season_id, season_name, set) and the split used.

    'season': the latest seasons (by season name) are the test set — `test_seasons` of them, or as
    many as it takes to reach `test_fraction` of the matches. 'match': a seeded, stable draw of
    `test_fraction` of the matches. 'auto': 'season' when there are at least 3 seasons, else 'match'.
    A match is always whole on one side: the split is made on the matches table, never on states.
    """
    if mode not in ("auto", "season", "match"):
        raise ValueError(f"split must be auto, season or match, got {mode!r}")
    seasons = sorted(matches["season_name"].unique().tolist())
    used = mode if mode != "auto" else ("season" if len(seasons) >= 3 else "match")
    frame = matches[["match_id", "season_id", "season_name"]].copy()
    if used == "season":
        if len(seasons) < 2:
            raise ValueError(f"a split by season needs at least 2 seasons, got {seasons}")
        counts = matches.groupby("season_name").size()
        chosen: List[str] = []
        for season in reversed(seasons):
            if test_seasons is not None and len(chosen) >= test_seasons:
                break
            if test_seasons is None and chosen and counts[chosen].sum() >= test_fraction * len(matches):
                break
            chosen.append(season)
        if len(chosen) == len(seasons):
            chosen = chosen[:-1]
        frame["set"] = np.where(frame["season_name"].isin(chosen), "test", "train")
    else:
        fractions = frame["match_id"].map(lambda match_id: _stable_fraction(int(match_id), seed))
        frame["set"] = np.where(fractions < test_fraction, "test", "train")
        if (frame["set"] == "test").sum() == 0 and len(frame) >= 2:
            frame.loc[fractions.idxmin(), "set"] = "test"
        if (frame["set"] == "train").sum() == 0 and len(frame) >= 2:
            frame.loc[fractions.idxmax(), "set"] = "train"
    return frame.sort_values("match_id").reset_index(drop=True), used


def check_split(split: pd.DataFrame) -> Dict[str, int]:
    """Raises when a side is empty or a match is on both sides; returns the match counts."""
    sides = split.groupby("match_id")["set"].nunique()
    both = sides[sides > 1].index.tolist()
    if both:
        raise ValueError(f"matches in both train and test: {both[:10]}")
    counts = split["set"].value_counts().to_dict()
    if counts.get("train", 0) == 0 or counts.get("test", 0) == 0:
        raise ValueError(f"the split leaves a side empty: {counts}")
    return {"train": int(counts["train"]), "test": int(counts["test"])}


def class_prior_probabilities(labels: Sequence[float]) -> np.ndarray:
    from pitchstream_jobs.win_probability_metrics import class_prior

    return class_prior(np.asarray(labels, dtype=int))


__all__ = [
    "MATCHES_SCHEMA",
    "STATES_SCHEMA",
    "check_split",
    "choose_split",
    "class_prior_probabilities",
    "event_projection",
    "game_states_frame",
    "label_states",
    "read_matches",
    "result_label",
]
