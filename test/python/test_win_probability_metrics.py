"""pitchstream_jobs.win_probability_metrics against hand-computed values.

Run: PYTHONPATH=jobs .pitchstream/venv/bin/python -m unittest discover -s test/python -v
"""

from __future__ import annotations

import math
import unittest

import numpy as np

from pitchstream_jobs import win_probability_metrics as wpm


class RankedProbabilityScoreTest(unittest.TestCase):
    def test_a_certain_correct_forecast_scores_zero_and_a_certain_wrong_extreme_scores_one(self) -> None:
        self.assertEqual(wpm.ranked_probability_score(np.array([[1.0, 0.0, 0.0]]), np.array([0])), 0.0)
        self.assertEqual(wpm.ranked_probability_score(np.array([[1.0, 0.0, 0.0]]), np.array([2])), 1.0)

    def test_a_hand_computed_forecast(self) -> None:
        # p = (0.5, 0.3, 0.2), draw: cumulative (0.5, 0.8) vs (0, 1) → (0.25 + 0.04) / 2 = 0.145
        self.assertAlmostEqual(wpm.ranked_probability_score(np.array([[0.5, 0.3, 0.2]]), np.array([1])), 0.145)
        # away win: cumulative (0.5, 0.8) vs (0, 0) → (0.25 + 0.64) / 2 = 0.445
        self.assertAlmostEqual(wpm.ranked_probability_score(np.array([[0.5, 0.3, 0.2]]), np.array([2])), 0.445)

    def test_it_is_ordinal_a_near_miss_scores_better_than_a_far_miss(self) -> None:
        near = wpm.ranked_probability_score(np.array([[0.0, 1.0, 0.0]]), np.array([0]))
        far = wpm.ranked_probability_score(np.array([[0.0, 0.0, 1.0]]), np.array([0]))
        self.assertLess(near, far)
        self.assertAlmostEqual(near, 0.5)


class BrierAndLogLossTest(unittest.TestCase):
    def test_brier_sums_over_classes(self) -> None:
        # (0.5-1)^2 + 0.3^2 + 0.2^2 = 0.25 + 0.09 + 0.04 = 0.38
        self.assertAlmostEqual(wpm.brier_score(np.array([[0.5, 0.3, 0.2]]), np.array([0])), 0.38)

    def test_log_loss_is_the_mean_negative_log_of_the_true_class(self) -> None:
        p = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
        self.assertAlmostEqual(wpm.log_loss(p, np.array([0, 2])), -(math.log(0.5) + math.log(0.8)) / 2)

    def test_log_loss_clips_a_zero_probability(self) -> None:
        self.assertAlmostEqual(wpm.log_loss(np.array([[1.0, 0.0, 0.0]]), np.array([1])), -math.log(1e-15))


class CalibrationTest(unittest.TestCase):
    def test_a_calibrated_forecast_has_zero_ece(self) -> None:
        # Forecast 0.5/0.5/0 for four states: two home wins, two draws → every bin's frequency equals its forecast.
        p = np.array([[0.5, 0.5, 0.0]] * 4)
        self.assertAlmostEqual(wpm.expected_calibration_error(p, np.array([0, 0, 1, 1])), 0.0)

    def test_hand_computed_classwise_ece(self) -> None:
        # Two states, forecast (0.8, 0.1, 0.1), outcomes home win and away win.
        # home class: one bin (0.8), frequency 0.5 → |0.8-0.5| = 0.3
        # draw class: one bin (0.1), frequency 0 → 0.1; away class: bin 0.1, frequency 0.5 → 0.4
        p = np.array([[0.8, 0.1, 0.1]] * 2)
        self.assertAlmostEqual(wpm.expected_calibration_error(p, np.array([0, 2])), (0.3 + 0.1 + 0.4) / 3)

    def test_a_probability_of_one_falls_in_the_last_bin(self) -> None:
        rows = wpm.calibration_table(np.array([[1.0, 0.0, 0.0]]), np.array([0]))
        self.assertEqual([(r["class_index"], r["bin"]) for r in rows], [(0, 9), (1, 0), (2, 0)])


class ClassificationTest(unittest.TestCase):
    def test_weighted_precision_recall_f1(self) -> None:
        # predictions: 0, 0, 1, 2 ; labels: 0, 1, 1, 2
        p = np.array([[0.6, 0.3, 0.1], [0.5, 0.4, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7]])
        y = np.array([0, 1, 1, 2])
        precision, recall, f1 = wpm.weighted_precision_recall_f1(p, y)
        # class 0: P=1/2 R=1 F=2/3 (w 1/4); class 1: P=1 R=1/2 F=2/3 (w 1/2); class 2: P=R=F=1 (w 1/4)
        self.assertAlmostEqual(precision, 0.25 * 0.5 + 0.5 * 1 + 0.25 * 1)
        self.assertAlmostEqual(recall, 0.25 * 1 + 0.5 * 0.5 + 0.25 * 1)
        self.assertAlmostEqual(f1, 0.25 * 2 / 3 + 0.5 * 2 / 3 + 0.25)
        self.assertAlmostEqual(wpm.accuracy(p, y), 0.75)

    def test_shapes_are_checked(self) -> None:
        with self.assertRaisesRegex(ValueError, r"shape \(n, 3\)"):
            wpm.accuracy(np.array([[0.5, 0.5]]), np.array([0]))
        with self.assertRaisesRegex(ValueError, "labels must be in 0..2"):
            wpm.accuracy(np.array([[0.5, 0.3, 0.2]]), np.array([3]))


class BootstrapAndBucketsTest(unittest.TestCase):
    def test_bootstrap_resamples_whole_matches(self) -> None:
        # Match 1 has rows of value 0, match 2 rows of value 1: a resample mean is 0, 0.5 or 1 weighted by rows.
        matches = np.array([1, 1, 2])
        values = np.array([0.0, 0.0, 1.0])
        seen = set()
        wpm.bootstrap_by_match(matches, lambda idx: seen.add(round(float(values[idx].mean()), 6)) or {"mean": float(values[idx].mean())}, samples=200)
        self.assertEqual(seen, {0.0, round(1 / 3, 6), 1.0})

    def test_interval_brackets_the_point_estimate(self) -> None:
        random = np.random.default_rng(1)
        matches = np.repeat(np.arange(50), 10)
        values = random.normal(size=500)
        low, high = wpm.bootstrap_by_match(matches, lambda idx: {"mean": float(values[idx].mean())}, samples=300)["mean"]
        self.assertLess(low, values.mean())
        self.assertGreater(high, values.mean())

    def test_minute_buckets(self) -> None:
        self.assertEqual(wpm.minute_bucket(np.array([0, 14, 15, 89, 90, 95])).tolist(), ["0-15", "0-15", "15-30", "75-90", "90+", "90+"])

    def test_class_prior_is_smoothed_frequencies(self) -> None:
        np.testing.assert_allclose(wpm.class_prior(np.array([0, 0, 1])), [3 / 6, 2 / 6, 1 / 6])


if __name__ == "__main__":
    unittest.main()
