"""pitchstream_jobs.lwp_inference without Spark: the per-match stream state against the training's game_states.

Run: PYTHONPATH=jobs .pitchstream/venv/bin/python -m unittest discover -s test/python -p 'test_lwp_inference.py' -v
"""

from __future__ import annotations

import json
import random
import unittest

from pitchstream_jobs.features import FEATURE_NAMES, FEATURE_SET_VERSION, FEATURES, GameStateStepper, game_states
from pitchstream_jobs.lwp_inference import LwpModelMismatchError, MatchStream, check_model_metadata

HOME, AWAY, MATCH_ID = 1, 2, 99
T0 = 1_700_000_000_000


def event(index, period, minute, second, kind, team, **fields):
    base = {
        "match_id": MATCH_ID, "home_team_id": HOME, "away_team_id": AWAY, "id": f"e{index}", "index": index, "period": period,
        "minute": minute, "second": second, "type": kind, "team_id": team, "possession_team_id": team, "location": None,
        "end_location": None, "pass_outcome": None, "shot_xg": None, "shot_outcome": None, "card": None, "frame_opponents_goal_side": None,
        "event_time_ms": T0 + (minute * 60 + second) * 1000, "kafka_timestamp_ms": T0,
    }
    base.update(fields)
    return base


def match_events():
    rows = [event(1, 1, 0, 0, "Half Start", HOME)]
    for minute in range(0, 47):
        rows.append(event(len(rows) + 1, 1, minute, 20, "Pass", HOME if minute % 3 else AWAY, location=[70.0, 40.0], end_location=[85.0, 30.0]))
        if minute == 12:
            rows.append(event(len(rows) + 1, 1, minute, 30, "Shot", HOME, shot_xg=0.4, shot_outcome="Goal"))
        if minute == 30:
            rows.append(event(len(rows) + 1, 1, minute, 40, "Foul Committed", AWAY, card="Red Card",
                              frame_opponents_goal_side=1, location=[60.0, 30.0]))
    rows.append(event(len(rows) + 1, 1, 47, 0, "Half End", HOME))
    rows.append(event(len(rows) + 1, 2, 45, 0, "Half Start", AWAY))
    for minute in range(45, 93):
        rows.append(event(len(rows) + 1, 2, minute, 5, "Shot", AWAY, shot_xg=0.1, shot_outcome="Goal" if minute == 70 else "Saved"))
    rows.append(event(len(rows) + 1, 2, 93, 0, "Half End", HOME))
    return rows


def batch_states(events):
    return [{"match_id": MATCH_ID, **row} for row in game_states(events, HOME, AWAY)]


def stream_states(batches, roundtrip=True):
    stream = None
    rows = []
    for batch in batches:
        if stream is None:
            stream = MatchStream(HOME, AWAY)
        rows.extend(stream.add(batch, MATCH_ID, now_ms=0))
        if roundtrip:
            stream = MatchStream.from_json(stream.to_json())
    return rows, stream


def comparable(rows):
    return [{"state_index": r["state_index"], "trigger": r["trigger"], **{n: r[n] for n in FEATURE_NAMES}} for r in rows]


class MatchStreamTest(unittest.TestCase):
    def test_the_stepper_yields_exactly_the_states_of_game_states(self) -> None:
        events = match_events()
        stepper = GameStateStepper(HOME, AWAY)
        stepped = [row for e in events for row in stepper.step(e)]
        self.assertEqual(stepped, list(game_states(events, HOME, AWAY)))

    def test_in_order_batches_with_a_json_round_trip_between_them_give_the_training_states(self) -> None:
        events = match_events()
        batches = [events[i : i + 7] for i in range(0, len(events), 7)]
        rows, _ = stream_states(batches)
        self.assertEqual(comparable(rows), comparable(batch_states(events)))
        self.assertEqual([r["trigger"] for r in rows if r["trigger"] != "minute"], ["goal", "red_card", "goal"])
        goal = next(r for r in rows if r["trigger"] == "goal")
        self.assertEqual((goal["clock"], goal["event_index"], goal["event_type"]), ("12:30", 15, "Shot"))

    def test_shuffled_arrivals_across_batches_and_duplicates_update_the_match_in_event_order(self) -> None:
        events = match_events()
        shuffled = list(events) + random.Random(3).sample(events, 20)  # duplicates of already-sent records
        random.Random(7).shuffle(shuffled)
        batches = [shuffled[i : i + 11] for i in range(0, len(shuffled), 11)]
        rows, stream = stream_states(batches)
        self.assertEqual(comparable(rows), comparable(batch_states(events)))
        self.assertEqual(stream.pending, {})

    def test_a_gap_holds_later_events_until_flushed_then_skips_it(self) -> None:
        events = match_events()
        missing = 10
        rows, stream = stream_states([[e for e in events if e["index"] != missing]])
        self.assertEqual(stream.next_index, missing)
        self.assertTrue(stream.pending)
        self.assertEqual(stream.timeout_ms(1, 1), events[missing]["event_time_ms"])  # the oldest pending event
        rows += stream.flush(MATCH_ID, 0, skip_gaps=True)
        expected = batch_states([e for e in events if e["index"] != missing])
        self.assertEqual(comparable(rows), comparable(expected))

    def test_an_ended_match_sent_again_later_starts_a_new_replay_and_is_cleared_after_the_end_timeout(self) -> None:
        events = match_events()
        rows, stream = stream_states([events])
        self.assertTrue(stream.ended)
        self.assertEqual(stream.timeout_ms(300_000, 3_600_000), events[-1]["event_time_ms"] + 300_000)
        later = [dict(e, event_time_ms=e["event_time_ms"] + 10_000_000) for e in events]
        again = stream.add(later, MATCH_ID, 0)
        self.assertEqual({r["replay"] for r in again}, {1})
        self.assertEqual(comparable(again), comparable(rows))

    def test_a_batch_holding_the_end_of_one_send_and_the_start_of_the_next_folds_both_in_order(self) -> None:
        # The producer's loop rounds: the next send's first events arrive in the batch that ends this one.
        events = match_events()
        first, rest = events[:-5], events[-5:]
        later = [dict(e, event_time_ms=e["event_time_ms"] + 10_000_000) for e in events]
        rows, stream = stream_states([first, rest + later[:30], later[30:]])
        sends = [[r for r in rows if r["replay"] == replay] for replay in (0, 1)]
        self.assertEqual(comparable(sends[0]), comparable(batch_states(events)))
        self.assertEqual(comparable(sends[1]), comparable(batch_states(events)))
        self.assertEqual((stream.replay, stream.pending, stream.next_index), (1, {}, len(events) + 1))

    def test_a_new_send_is_told_by_its_kickoff_even_before_the_last_one_ended_and_late_records_of_it_are_dropped(self) -> None:
        events = match_events()
        later = [dict(e, event_time_ms=e["event_time_ms"] + 10_000_000) for e in events]
        rows, stream = stream_states([events[:40], later[:20], events[40:60], later[20:]])
        self.assertEqual([r["state_index"] for r in rows if r["replay"] == 1], [r["state_index"] for r in batch_states(events)])
        self.assertFalse(any(r["replay"] == 0 and r["event_index"] > 40 for r in rows))
        self.assertEqual(stream.pending, {})

    def test_a_state_saved_without_a_kickoff_takes_the_next_events_as_its_send(self) -> None:
        events = match_events()
        rows, stream = stream_states([events[:30]])
        record = json.loads(stream.to_json())
        del record["kickoff_ms"]
        restored = MatchStream.from_json(json.dumps(record))
        rows += restored.add(events[30:], MATCH_ID, 0)
        self.assertEqual(comparable(rows), comparable(batch_states(events)))


class ModelMetadataTest(unittest.TestCase):
    def good(self):
        return {"feature_set_version": FEATURE_SET_VERSION, "features": [{"name": n, "description": d} for n, d in FEATURES]}

    def test_the_training_metadata_is_accepted(self) -> None:
        check_model_metadata(self.good(), "m")

    def test_another_version_is_refused_with_both_versions_named(self) -> None:
        with self.assertRaisesRegex(LwpModelMismatchError, r"feature_set_version is 'lwp-features-0', the job computes 'lwp-features-1'"):
            check_model_metadata({**self.good(), "feature_set_version": "lwp-features-0"}, "m")

    def test_a_missing_or_unknown_feature_is_refused_by_name(self) -> None:
        metadata = self.good()
        metadata["features"] = metadata["features"][:-1] + [{"name": "crowd_noise"}]
        with self.assertRaisesRegex(LwpModelMismatchError, r"missing \['away_360_opponents_goal_side'\], unknown \['crowd_noise'\]"):
            check_model_metadata(metadata, "m")

    def test_the_same_features_in_another_order_are_refused(self) -> None:
        metadata = self.good()
        metadata["features"] = list(reversed(metadata["features"]))
        with self.assertRaisesRegex(LwpModelMismatchError, "another order"):
            check_model_metadata(metadata, "m")


if __name__ == "__main__":
    unittest.main()
