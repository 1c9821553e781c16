"""pitchstream_jobs.lwp_inference without Spark: the per-match stream state against the training's game_states.

Run: PYTHONPATH=jobs .pitchstream/venv/bin/python -m unittest discover -s test/python -p 'test_lwp_inference.py' -v
"""

from __future__ import annotations

import json
import random
import unittest

from pitchstream_jobs.features import FEATURE_NAMES, FEATURE_SET_VERSION, FEATURES, GameStateStepper, game_states
from pitchstream_jobs.lwp_inference import (
    LwpModelMismatchError,
    MatchStream,
    check_model_metadata,
    shootout_win_probability,
)

HOME, AWAY, MATCH_ID = 1, 2, 99
T0 = 1_700_000_000_000


def event(index, period, minute, second, kind, team, **fields):
    base = {
        "match_id": MATCH_ID, "home_team_id": HOME, "away_team_id": AWAY, "id": f"e{index}", "index": index, "period": period,
        "minute": minute, "second": second, "type": kind, "team_id": team, "possession_team_id": team, "location": None,
        "end_location": None, "pass_outcome": None, "shot_xg": None, "shot_outcome": None, "card": None, "frame_opponents_goal_side": None,
        "event_time_ms": T0 + (minute * 60 + second) * 1000, "kafka_timestamp_ms": T0, "round": 0,
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


def next_round(events, round_=1):
    """The producer's next loop round of these events: round set, new ids, event times moved on."""
    return [dict(e, round=round_, id=f"{e['id']}:r{round_}", event_time_ms=e["event_time_ms"] + 10_000_000) for e in events]


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

    def test_an_ended_match_sent_again_in_the_next_round_starts_a_new_replay_and_is_cleared_after_the_end_timeout(self) -> None:
        events = match_events()
        rows, stream = stream_states([events])
        self.assertTrue(stream.ended)
        self.assertEqual(stream.timeout_ms(300_000, 3_600_000), events[-1]["event_time_ms"] + 300_000)
        again = stream.add(next_round(events), MATCH_ID, 0)
        self.assertEqual({r["replay"] for r in again}, {1})
        self.assertEqual(comparable(again), comparable(rows))

    def test_a_batch_holding_the_end_of_one_round_and_the_start_of_the_next_folds_both_in_order(self) -> None:
        # The producer's loop rounds: the next send's first events arrive in the batch that ends this one.
        events = match_events()
        first, rest = events[:-5], events[-5:]
        later = next_round(events)
        rows, stream = stream_states([first, rest + later[:30], later[30:]])
        sends = [[r for r in rows if r["replay"] == replay] for replay in (0, 1)]
        self.assertEqual(comparable(sends[0]), comparable(batch_states(events)))
        self.assertEqual(comparable(sends[1]), comparable(batch_states(events)))
        self.assertEqual((stream.replay, stream.pending, stream.next_index), (1, {}, len(events) + 1))

    def test_a_new_round_is_told_by_its_number_even_before_the_last_one_ended_and_late_records_of_it_are_dropped(self) -> None:
        events = match_events()
        later = next_round(events)
        rows, stream = stream_states([events[:40], later[:20], events[40:60], later[20:]])
        self.assertEqual([r["state_index"] for r in rows if r["replay"] == 1], [r["state_index"] for r in batch_states(events)])
        self.assertFalse(any(r["replay"] == 0 and r["event_index"] > 40 for r in rows))
        self.assertEqual(stream.pending, {})

    def test_a_clock_that_restarts_late_in_a_half_is_no_new_replay_whatever_the_batch_size(self) -> None:
        # StatsBomb's artefact: the last Ball Receipt* of a half stamped 00:00 with the latest event time
        # (its kick-off, event time minus clock, lies 47 minutes late). The match goes on in later batches.
        events = match_events()
        at = next(i for i, e in enumerate(events) if e["type"] == "Half End")
        odd = event(0, 1, 0, 0, "Ball Receipt*", HOME, event_time_ms=events[at - 1]["event_time_ms"])
        events = events[:at] + [odd] + events[at:]
        for position, e in enumerate(events):
            e["index"] = position + 1
        expected = comparable(batch_states(events))
        for size in (5, 37, len(events)):
            with self.subTest(batch_size=size):
                rows, stream = stream_states([events[i : i + size] for i in range(0, len(events), size)])
                self.assertEqual(comparable(rows), expected)
                self.assertEqual({r["replay"] for r in rows}, {0})
                self.assertEqual(rows[-1]["home_goals"], 1.0)
                self.assertEqual(rows[-1]["away_goals"], 1.0)

    def test_records_without_a_round_are_round_0_and_a_state_saved_by_the_kickoff_version_continues(self) -> None:
        events = [{k: v for k, v in e.items() if k != "round"} for e in match_events()]
        rows, stream = stream_states([events[:30]])
        record = json.loads(stream.to_json())
        record["kickoff_ms"] = T0  # a checkpoint of the version that told sends apart by kick-off
        del record["shootout"]
        restored = MatchStream.from_json(json.dumps(record))
        rows += restored.add(events[30:], MATCH_ID, 0)
        self.assertEqual(comparable(rows), comparable(batch_states(events)))
        self.assertEqual({r["replay"] for r in rows}, {0})


def shootout_events(first_index, kicks):
    """A penalty shoot-out after match_events: Half Start, then (team, scored) kicks, then Half End."""
    rows = [event(first_index, 5, 120, 0, "Half Start", HOME)]
    for k, (team, scored) in enumerate(kicks):
        rows.append(event(first_index + 1 + k, 5, 121 + k // 2, 10, "Shot", team, shot_xg=0.78, shot_outcome="Goal" if scored else "Saved"))
    rows.append(event(first_index + 1 + len(kicks), 5, 126, 0, "Half End", HOME))
    return rows


class ShootoutTest(unittest.TestCase):
    def test_the_win_probability_is_one_half_at_the_start_and_decided_when_a_side_cannot_catch_up(self) -> None:
        self.assertAlmostEqual(shootout_win_probability(0, 0, 0, 0), 0.5)
        self.assertAlmostEqual(shootout_win_probability(1, 1, 0, 1), 1 - shootout_win_probability(0, 1, 1, 1))
        self.assertEqual(shootout_win_probability(4, 5, 2, 4), 1.0)  # away can reach 3 at most
        self.assertEqual(shootout_win_probability(3, 5, 4, 4), 0.0)
        # Sudden death: home scored its 6th, away (level before) kicks: it misses (1/4) or goes on (3/4 × 1/2).
        self.assertAlmostEqual(shootout_win_probability(5, 6, 4, 5), 0.25 + 0.75 * 0.5)
        # Each kick moves the probability towards the side that scored.
        self.assertGreater(shootout_win_probability(1, 1, 0, 0), 0.5)
        self.assertLess(shootout_win_probability(0, 1, 0, 0), 0.5)

    def test_a_shootout_gives_a_start_state_and_one_state_per_kick_with_its_score_and_the_match_score_unchanged(self) -> None:
        events = match_events()
        kicks = [(HOME, True), (AWAY, True), (HOME, False), (AWAY, True), (HOME, True), (AWAY, True), (HOME, True), (AWAY, False), (HOME, True), (AWAY, True)]
        rows, stream = stream_states([events, shootout_events(len(events) + 1, kicks)])
        regular = [r for r in rows if r["home_shootout_goals"] is None]
        shootout = [r for r in rows if r["home_shootout_goals"] is not None]
        self.assertEqual(comparable(regular), comparable(batch_states(events)))
        self.assertEqual([r["trigger"] for r in shootout], ["shootout_start"] + ["shootout_kick"] * len(kicks))
        self.assertEqual([r["state_index"] for r in shootout], list(range(len(regular), len(regular) + len(shootout))))
        self.assertEqual((shootout[0]["home_shootout_goals"], shootout[0]["away_shootout_goals"], shootout[0]["p_home_wins_shootout"]), (0, 0, 0.5))
        last = shootout[-1]
        self.assertEqual((last["home_shootout_goals"], last["away_shootout_goals"], last["home_shootout_kicks"], last["away_shootout_kicks"]), (4, 4, 5, 5))
        self.assertEqual(last["p_home_wins_shootout"], 0.5)  # level after five each: sudden death
        self.assertEqual(last["clock"], "125:10")
        end_of_play = GameStateStepper(HOME, AWAY)
        for e in events:
            end_of_play.step(e)
        for state in shootout:  # the match's score and features are those at the end of play
            self.assertEqual({n: state[n] for n in FEATURE_NAMES}, end_of_play.state.features())
        self.assertTrue(stream.ended)

    def test_the_decisive_kick_gives_probability_one_and_the_tally_survives_a_json_round_trip(self) -> None:
        events = match_events()
        kicks = [(HOME, True), (AWAY, False), (HOME, True), (AWAY, False), (HOME, True), (AWAY, False)]
        shootout = shootout_events(len(events) + 1, kicks)
        rows, _ = stream_states([events + shootout[:3], shootout[3:5], shootout[5:]])
        kicks_seen = [r for r in rows if r["trigger"] == "shootout_kick"]
        self.assertEqual(len(kicks_seen), len(kicks))
        self.assertEqual(kicks_seen[-1]["p_home_wins_shootout"], 1.0)
        self.assertEqual((kicks_seen[-1]["home_shootout_goals"], kicks_seen[-1]["away_shootout_goals"]), (3, 0))
        self.assertEqual(sum(r["trigger"] == "shootout_start" for r in rows), 1)


class ModelMetadataTest(unittest.TestCase):
    def good(self):
        return {"feature_set_version": FEATURE_SET_VERSION, "features": [{"name": n, "description": d} for n, d in FEATURES]}

    def test_the_training_metadata_is_accepted(self) -> None:
        check_model_metadata(self.good(), "m")

    def test_another_version_is_refused_with_both_versions_named(self) -> None:
        with self.assertRaisesRegex(LwpModelMismatchError, r"feature_set_version is 'lwp-features-0', the job computes 'lwp-features-2'"):
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
