"""pitchstream_jobs.lwp_training: the calibration hold-out, the split checks, the calibrator, the man-advantage and outcome stages.

Run: PYTHONPATH=jobs .pitchstream/venv/bin/python -m unittest discover -s test/python -p 'test_lwp_training.py' -v
(the calibrator test starts a local SparkSession; PYSPARK_PYTHON must be the venv's python).
"""

from __future__ import annotations

import unittest

import numpy as np
import pandas as pd

from local_spark import LocalSparkTestCase
from pitchstream_jobs import win_probability_metrics as wpm
from pitchstream_jobs.lwp_training import (
    FOREST_GOALS_TO_COME,
    GOALS_TO_COME,
    MAN_ADVANTAGE_PRIOR_GOALS,
    TrainingSplitError,
    calibrator_pipeline,
    check_split,
    choose_split,
    hold_out_calibration,
    man_advantage_factors,
    man_advantage_stage,
    outcome_stages,
)


def matches_table(count: int, seasons: int = 1) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "match_id": np.arange(1000, 1000 + count),
            "season_id": [2000 + i % seasons for i in range(count)],
            "season_name": [f"{2000 + i % seasons}/{2001 + i % seasons}" for i in range(count)],
        }
    )


class CalibrationHoldOutTest(unittest.TestCase):
    def test_it_moves_about_the_fraction_of_training_matches_and_leaves_the_test_set_alone(self) -> None:
        split, _ = choose_split(matches_table(400), "match", test_fraction=0.25, seed=7)
        held = hold_out_calibration(split, 0.2, seed=7)
        self.assertTrue(held[split["set"] == "test"]["set"].eq("test").all())
        self.assertTrue(held.loc[held["set"] == "test", "match_id"].equals(split.loc[split["set"] == "test", "match_id"]))
        counts = check_split(held, calibration=True)
        self.assertEqual(sum(counts.values()), 400)
        share = counts["calibration"] / (counts["train"] + counts["calibration"])
        self.assertGreater(share, 0.14, counts)
        self.assertLess(share, 0.26, counts)

    def test_it_is_seeded_and_stable(self) -> None:
        split, _ = choose_split(matches_table(60), "match", seed=3)
        first, again, other = hold_out_calibration(split, 0.2, 3), hold_out_calibration(split, 0.2, 3), hold_out_calibration(split, 0.2, 4)
        self.assertTrue(first.equals(again))
        self.assertFalse(first["set"].equals(other["set"]))

    def test_it_keeps_one_match_on_each_side_when_it_can(self) -> None:
        split = pd.DataFrame({"match_id": [1, 2, 3], "season_id": 1, "season_name": "s", "set": ["train", "train", "test"]})
        for fraction in (0.01, 0.99):
            counts = check_split(hold_out_calibration(split, fraction, 7), calibration=True)
            self.assertEqual(counts, {"train": 1, "calibration": 1, "test": 1}, fraction)
        self.assertEqual(check_split(hold_out_calibration(split, 0.0, 7)), {"train": 2, "test": 1})

    def test_it_refuses_a_fraction_outside_zero_to_one(self) -> None:
        split, _ = choose_split(matches_table(10), "match")
        with self.assertRaisesRegex(ValueError, "calibration fraction must be in \\[0, 1\\), got 1.0"):
            hold_out_calibration(split, 1.0)


class CheckSplitTest(unittest.TestCase):
    def test_a_training_set_of_one_match_leaves_calibration_empty(self) -> None:
        split = pd.DataFrame({"match_id": [1, 2], "set": ["train", "test"]})
        with self.assertRaisesRegex(TrainingSplitError, r"leaves calibration without a match .*'train': 1, 'calibration': 0, 'test': 1"):
            check_split(hold_out_calibration(split, 0.2), calibration=True)
        # Without calibration the same split is fine.
        self.assertEqual(check_split(split), {"train": 1, "test": 1})

    def test_an_empty_test_set_is_refused_and_named(self) -> None:
        split = pd.DataFrame({"match_id": [1, 2, 3], "set": ["train", "calibration", "train"]})
        with self.assertRaisesRegex(TrainingSplitError, "leaves test without a match"):
            check_split(split, calibration=True)

    def test_a_match_in_calibration_and_test_is_refused_with_its_id(self) -> None:
        split = pd.DataFrame({"match_id": [1, 2, 2, 3], "set": ["train", "calibration", "test", "test"]})
        with self.assertRaisesRegex(TrainingSplitError, r"matches in both calibration and test: \[2\]"):
            check_split(split, calibration=True)

    def test_an_unknown_set_is_refused(self) -> None:
        with self.assertRaisesRegex(TrainingSplitError, "unknown sets \\['validation'\\]"):
            check_split(pd.DataFrame({"match_id": [1, 2], "set": ["train", "validation"]}))

    def test_it_is_a_value_error(self) -> None:
        self.assertTrue(issubclass(TrainingSplitError, ValueError))


def miscalibrated_states(count: int, seed: int) -> pd.DataFrame:
    """States whose true probabilities are known, with a forecast that is too sharp early and too soft late."""
    rng = np.random.default_rng(seed)
    truth = rng.dirichlet([2.0, 1.5, 2.0], size=count)
    minute = rng.integers(0, 95, size=count).astype(float)
    labels = np.array([rng.choice(3, p=p) for p in truth])
    # Early states: forecast = truth^2 renormalized (overconfident); late: truth^0.5 (underconfident).
    power = np.where(minute < 60, 2.0, 0.5)[:, None]
    forecast = truth**power
    forecast /= forecast.sum(axis=1, keepdims=True)
    return pd.DataFrame({"minute": minute, "label": labels.astype(float), "p0": forecast[:, 0], "p1": forecast[:, 1], "p2": forecast[:, 2]})


class CalibratorTest(LocalSparkTestCase):
    def frame(self, pdf: pd.DataFrame):
        from pyspark.ml.functions import array_to_vector
        from pyspark.sql import functions as F

        return self.spark.createDataFrame(pdf).withColumn("forest_probability", array_to_vector(F.array("p0", "p1", "p2")))

    def test_it_lowers_the_calibration_error_of_a_forecast_miscalibrated_by_match_time_and_sums_to_one(self) -> None:
        from pyspark.ml.functions import vector_to_array

        fit, held_out = miscalibrated_states(6000, seed=1), miscalibrated_states(4000, seed=2)
        model = calibrator_pipeline(0.01).fit(self.frame(fit))
        scored = model.transform(self.frame(held_out)).select("label", vector_to_array("probability").alias("p")).toPandas()
        calibrated = np.stack(scored["p"].to_numpy())
        labels = scored["label"].to_numpy(dtype=int)
        raw = held_out[["p0", "p1", "p2"]].to_numpy()
        before, after = wpm.expected_calibration_error(raw, labels), wpm.expected_calibration_error(calibrated, labels)
        loss_before, loss_after = wpm.log_loss(raw, labels), wpm.log_loss(calibrated, labels)
        message = f"held-out ECE {before:.4f} → {after:.4f}, log loss {loss_before:.4f} → {loss_after:.4f}"
        self.assertLess(after, 0.75 * before, message)
        self.assertLess(loss_after, loss_before, message)
        self.assertLess(float(np.abs(calibrated.sum(axis=1) - 1.0).max()), 1e-9)
        self.assertGreaterEqual(float(calibrated.min()), 0.0)
        self.assertEqual(type(model.stages[-1]).__name__, "LogisticRegressionModel")


def poisson_outcomes(goal_diff: float, home_rate: float, away_rate: float) -> np.ndarray:
    """P(home win, draw, away win) of goal_diff + Poisson(home_rate) − Poisson(away_rate), summed far past any mass."""
    goals = np.arange(0, 40)
    log_factorial = np.cumsum(np.log(np.maximum(goals, 1)))
    home = np.exp(-home_rate + goals * np.log(max(home_rate, 1e-300)) - log_factorial)
    away = np.exp(-away_rate + goals * np.log(max(away_rate, 1e-300)) - log_factorial)
    final = goal_diff + goals[:, None] - goals[None, :]
    joint = home[:, None] * away[None, :]
    return np.array([joint[final > 0].sum(), joint[final == 0].sum(), joint[final < 0].sum()])


class OutcomeStagesTest(LocalSparkTestCase):
    """The saved model's last stages: expected goals to come + the score → P(home win, draw, away win)."""

    def score(self, rows):
        from pyspark.ml import PipelineModel
        from pyspark.ml.functions import vector_to_array

        frame = self.spark.createDataFrame(
            pd.DataFrame(rows, columns=["goal_diff", "red_card_diff", FOREST_GOALS_TO_COME[0], FOREST_GOALS_TO_COME[1]]).astype(float)
        )
        model = PipelineModel(stages=[man_advantage_stage({"down": 0.5, "up": 1.25}), *outcome_stages()])
        scored = model.transform(frame).select(vector_to_array("probability").alias("p")).toPandas()
        return np.stack(scored["p"].to_numpy())

    def test_it_gives_the_poisson_outcome_probabilities_of_the_score_and_the_rates(self) -> None:
        rows = [(d, 0.0, h, a) for d in (-2.0, -1.0, 0.0, 1.0, 3.0) for h, a in ((1.6, 1.1), (0.4, 0.9), (0.02, 0.05), (0.0, 0.0), (3.2, 2.9))]
        probabilities = self.score(rows)
        for (d, _, h, a), p in zip(rows, probabilities):
            expected = poisson_outcomes(d, h, a)
            np.testing.assert_allclose(p, expected / expected.sum(), atol=2e-4, err_msg=f"goal_diff {d}, rates {h}, {a}")
        self.assertLess(float(np.abs(probabilities.sum(axis=1) - 1.0).max()), 1e-9)

    def test_a_goal_always_raises_the_scorers_win_probability_and_a_red_card_always_lowers_the_punished_sides(self) -> None:
        rates = [(1.4, 1.0), (0.3, 0.2), (0.05, 0.08), (2.5, 0.1)]
        for home, away in rates:
            by_diff = self.score([(d, 0.0, home, away) for d in (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0)])
            self.assertTrue(np.all(np.diff(by_diff[:, 0]) > 0), f"P(home win) over goal_diff -3..3 at rates {home}, {away}: {by_diff[:, 0]}")
            self.assertTrue(np.all(np.diff(by_diff[:, 2]) < 0), f"P(away win) over goal_diff -3..3 at rates {home}, {away}: {by_diff[:, 2]}")
            # red_card_diff = home − away red cards: 1 → the home side is a man down.
            by_reds = self.score([(0.0, r, home, away) for r in (-2.0, -1.0, 0.0, 1.0, 2.0)])
            self.assertTrue(np.all(np.diff(by_reds[:, 0]) < 0), f"P(home win) over red_card_diff -2..2 at rates {home}, {away}: {by_reds[:, 0]}")
            self.assertTrue(np.all(np.diff(by_reds[:, 2]) > 0), f"P(away win) over red_card_diff -2..2 at rates {home}, {away}: {by_reds[:, 2]}")

    def test_the_man_advantage_scales_each_sides_rate(self) -> None:
        from pyspark.ml.feature import SQLTransformer  # noqa: F401 - the stage under test is one

        frame = self.spark.createDataFrame(pd.DataFrame({"red_card_diff": [1.0, -2.0], FOREST_GOALS_TO_COME[0]: [1.0, 1.0], FOREST_GOALS_TO_COME[1]: [2.0, 2.0]}))
        scaled = man_advantage_stage({"down": 0.5, "up": 1.25}).transform(frame).toPandas()
        np.testing.assert_allclose(scaled["expected_home_goals_to_come"], [0.5, 1.25**2])
        np.testing.assert_allclose(scaled["expected_away_goals_to_come"], [2.5, 2.0 * 0.5**2])


class ManAdvantageFactorsTest(LocalSparkTestCase):
    def states(self, rows):
        columns = ["red_card_diff", GOALS_TO_COME[0], GOALS_TO_COME[1], FOREST_GOALS_TO_COME[0], FOREST_GOALS_TO_COME[1]]
        return self.spark.createDataFrame(pd.DataFrame(rows, columns=columns).astype(float))

    def test_it_measures_observed_over_forest_goals_of_sides_a_man_down_and_up_shrunk_towards_one(self) -> None:
        # 40 states with the home side a man down: it scores 10 where the forest said 40; the away side 60 where it said 40.
        rows = [(1.0, 0.25, 1.5, 1.0, 1.0)] * 40 + [(0.0, 5.0, 5.0, 1.0, 1.0)] * 10
        factors = man_advantage_factors(self.states(rows))
        prior = MAN_ADVANTAGE_PRIOR_GOALS
        self.assertAlmostEqual(factors["down"], (10 + prior) / (40 + prior))
        self.assertAlmostEqual(factors["up"], (60 + prior) / (40 + prior))
        self.assertEqual((factors["down_states"], factors["up_states"]), (40, 40))

    def test_a_side_a_man_down_never_gets_a_factor_above_one_nor_a_side_a_man_up_below(self) -> None:
        factors = man_advantage_factors(self.states([(-1.0, 0.1, 3.0, 1.0, 1.0)] * 30))
        self.assertEqual((factors["down"], factors["up"]), (1.0, 1.0))
        none = man_advantage_factors(self.states([(0.0, 1.0, 1.0, 1.0, 1.0)] * 5))
        self.assertEqual((none["down"], none["up"], none["down_states"]), (1.0, 1.0, 0))


if __name__ == "__main__":
    unittest.main()
