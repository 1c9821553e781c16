"""pitchstream_jobs.features.state_inputs: the projection of events both training and streaming fold,
with the three-sixty frame counted by Spark (frame_opponents_goal_side).

Run: PYTHONPATH=jobs .pitchstream/venv/bin/python -m unittest discover -s test/python -p 'test_state_inputs.py' -v
(starts a local SparkSession; PYSPARK_PYTHON must be the venv's python).
"""

from __future__ import annotations

import json
import unittest

from local_spark import LocalSparkTestCase
from pitchstream_jobs.contract import event_schema
from pitchstream_jobs.features import EVENT_COLUMNS, EVENT_FIELDS, FRAME_OPPONENTS_GOAL_SIDE, state_inputs


def player(location, teammate=False):
    return {"location": location, "teammate": teammate, "actor": False, "keeper": False}


class StateInputsTest(LocalSparkTestCase):
    def counts(self, rows):
        """(location, freeze_frame) per event → the state's frame count per event, in order."""
        from pyspark.sql import functions as F

        # Parsed from JSON with the contract's schema, as the jobs read events (from_json makes every field nullable).
        texts = [(json.dumps({"index": i, "location": location, "freeze_frame": frame}),) for i, (location, frame) in enumerate(rows)]
        events = self.spark.createDataFrame(texts, "value string").select(F.from_json("value", event_schema()).alias("e")).select("e.*")
        projected = state_inputs(events, "index")
        self.assertEqual(projected.columns, ["index", *EVENT_COLUMNS])
        return [row[FRAME_OPPONENTS_GOAL_SIDE] for row in projected.orderBy("index").collect()]

    def test_it_counts_the_opponents_goal_side_of_the_ball_in_each_frame(self) -> None:
        frame = [player([60.0, 40.0]), player([90.0, 40.0]), player([100.0, 40.0]), player([95.0, 40.0], teammate=True)]
        self.assertEqual(self.counts([([70.0, 40.0], frame), ([95.0, 10.0], frame), ([20.0, 10.0], frame)]), [2, 1, 3])

    def test_a_player_of_unknown_side_counts_as_an_opponent_and_one_without_location_stands_at_x_0(self) -> None:
        frame = [player([90.0, 40.0], teammate=None), player(None), player([50.0, None])]
        self.assertEqual(self.counts([([70.0, 40.0], frame)]), [1])

    def test_no_frame_an_empty_frame_or_no_location_is_null_not_zero(self) -> None:
        frame = [player([90.0, 40.0])]
        self.assertEqual(self.counts([([70.0, 40.0], None), ([70.0, 40.0], []), (None, frame), ([70.0, 40.0], frame)]), [None, None, None, 1])


if __name__ == "__main__":
    unittest.main()
