"""pitchstream_jobs.features and the split of lwp_training on hand-made events (no Spark).

Run: PYTHONPATH=jobs .pitchstream/venv/bin/python -m unittest discover -s test/python -v
"""

from __future__ import annotations

import unittest

import pandas as pd

from pitchstream_jobs.features import FEATURE_NAMES, FEATURES, MatchState, game_states, result_label
from pitchstream_jobs.lwp_training import check_split, choose_split

HOME, AWAY = 1, 2


def event(index, period, minute, second, kind, team, possession_team=None, **fields):
    base = {
        "index": index,
        "period": period,
        "minute": minute,
        "second": second,
        "type": kind,
        "team_id": team,
        "possession_team_id": possession_team or team,
        "location": None,
        "end_location": None,
        "pass_outcome": None,
        "shot_xg": None,
        "shot_outcome": None,
        "card": None,
        "frame_opponents_goal_side": None,
    }
    base.update(fields)
    return base


MATCH = [
    event(1, 1, 0, 0, "Half Start", HOME),
    event(2, 1, 0, 10, "Pass", HOME, location=[70.0, 40.0], end_location=[85.0, 30.0]),  # into the final third
    event(3, 1, 0, 40, "Pass", HOME, location=[70.0, 40.0], end_location=[85.0, 30.0], pass_outcome="Incomplete"),
    event(4, 1, 1, 0, "Pass", AWAY, location=[85.0, 40.0], end_location=[100.0, 30.0]),  # starts in the final third
    event(5, 1, 3, 5, "Shot", HOME, shot_xg=0.3, shot_outcome="Goal"),
    event(6, 1, 44, 30, "Foul Committed", AWAY, card="Second Yellow"),
    event(7, 1, 46, 0, "Shot", AWAY, shot_xg=0.2, shot_outcome="Saved"),
    event(8, 2, 45, 0, "Half Start", AWAY),
    event(9, 2, 50, 0, "Own Goal For", AWAY),
    event(10, 2, 50, 0, "Own Goal Against", HOME),
    event(11, 2, 60, 0, "Bad Behaviour", HOME, card="Yellow Card"),
    event(12, 5, 121, 0, "Shot", HOME, shot_xg=0.7, shot_outcome="Goal"),  # shoot-out: ignored
]


class MatchStateTest(unittest.TestCase):
    def test_the_feature_list_is_the_model_order_and_each_has_a_description(self) -> None:
        self.assertEqual(FEATURE_NAMES[:3], ("minute", "period", "home_goals"))
        self.assertEqual(len(set(FEATURE_NAMES)), len(FEATURE_NAMES))
        self.assertTrue(all(description for _, description in FEATURES))

    def test_goals_own_goals_and_red_cards_are_counted_once_and_the_shoot_out_is_ignored(self) -> None:
        state = MatchState(HOME, AWAY)
        triggers = [state.update(e) for e in MATCH]
        self.assertEqual(state.goals, [1, 1])
        self.assertEqual(state.red_cards, [0, 1])
        self.assertEqual(triggers[4], ["goal"])
        self.assertEqual(triggers[5], ["red_card"])
        self.assertEqual(triggers[8], ["goal"])
        self.assertEqual(triggers[9], [])
        self.assertEqual(triggers[11], [])

    def test_passes_into_the_final_third_must_be_completed_and_start_outside_it(self) -> None:
        state = MatchState(HOME, AWAY)
        for e in MATCH:
            state.update(e)
        self.assertEqual(state.final_third_passes, [1, 0])

    def test_the_recent_window_counts_played_time_across_half_time(self) -> None:
        state = MatchState(HOME, AWAY)
        for e in MATCH[:8]:
            state.update(e)
        # Period 1 lasted 46 minutes (last event at 46:00). At 2nd-half minute 50 (5 minutes into
        # it), 51 played minutes: the away shot at 46:00 of period 1 (46 played) is within 10 minutes,
        # the home goal at 3:05 is not.
        values = state.features(minute=50, period=2)
        self.assertEqual((values["home_shots_last10"], values["away_shots_last10"]), (0.0, 1.0))
        self.assertAlmostEqual(values["away_xg_last10"], 0.2)
        self.assertEqual((values["home_shots"], values["away_shots"]), (1.0, 1.0))
        self.assertAlmostEqual(values["xg_diff"], 0.1)
        # At minute 57, 11 played minutes after the away shot: out of the window.
        self.assertEqual(state.features(minute=57, period=2)["away_shots_last10"], 0.0)

    def test_possession_time_goes_to_the_team_in_possession_at_the_earlier_event(self) -> None:
        state = MatchState(HOME, AWAY)
        for e in MATCH[:4]:
            state.update(e)
        # 0:00 → 0:10 → 0:40 home (40 s), 0:40 → 1:00 home (20 s): all home so far.
        self.assertEqual(state.possession_seconds, [60.0, 0.0])
        state.update(event(13, 1, 2, 0, "Pass", HOME))
        self.assertEqual(state.possession_seconds, [60.0, 60.0])
        self.assertAlmostEqual(state.features()["home_possession_share"], 0.5)

    def test_three_sixty_features_are_zero_with_the_indicator_off_until_a_frame_is_seen(self) -> None:
        state = MatchState(HOME, AWAY)
        state.update(MATCH[1])
        self.assertEqual(state.features()["has_360"], 0.0)
        # Two opponents goal-side in this frame (frame_opponents_goal_side, counted by Spark; tested in test_lwp_training).
        state.update(event(3, 1, 0, 20, "Carry", HOME, location=[70.0, 40.0], frame_opponents_goal_side=2))
        state.update(event(4, 1, 0, 25, "Carry", HOME, location=[70.0, 40.0], frame_opponents_goal_side=float("nan")))  # no frame
        values = state.features()
        self.assertEqual(values["has_360"], 1.0)
        self.assertEqual(values["home_360_opponents_goal_side"], 2.0)
        self.assertEqual(values["away_360_opponents_goal_side"], 0.0)

    def test_the_state_survives_a_json_round_trip(self) -> None:
        state = MatchState(HOME, AWAY)
        for e in MATCH[:7]:
            state.update(e)
        copy = MatchState.from_json(state.to_json())
        self.assertEqual(copy.features(), state.features())
        copy.update(MATCH[7])
        state.update(MATCH[7])
        self.assertEqual(copy.features(minute=50, period=2), state.features(minute=50, period=2))


class GameStatesTest(unittest.TestCase):
    def test_one_state_per_minute_of_each_period_plus_one_per_goal_and_red_card(self) -> None:
        states = list(game_states(MATCH, HOME, AWAY))
        minutes = [(s["period"], s["minute"]) for s in states if s["trigger"] == "minute"]
        self.assertEqual(minutes[:4], [(1.0, 0.0), (1.0, 1.0), (1.0, 2.0), (1.0, 3.0)])
        self.assertIn((1.0, 46.0), minutes)
        self.assertEqual([m for m in minutes if m[0] == 2.0], [(2.0, float(m)) for m in range(45, 61)])
        self.assertEqual([s["trigger"] for s in states if s["trigger"] != "minute"], ["goal", "red_card", "goal"])
        self.assertEqual([s["state_index"] for s in states], list(range(len(states))))

    def test_a_minute_state_comes_before_the_events_of_that_minute(self) -> None:
        states = list(game_states(MATCH, HOME, AWAY))
        minute_3 = next(s for s in states if s["trigger"] == "minute" and s["minute"] == 3.0)
        goal = next(s for s in states if s["trigger"] == "goal")
        self.assertEqual(minute_3["home_goals"], 0.0)
        self.assertEqual(goal["home_goals"], 1.0)
        self.assertEqual(goal["minute"], 3.0)

    def test_labels(self) -> None:
        self.assertEqual([result_label(2, 1), result_label(1, 1), result_label(0, 3)], [0, 1, 2])


def matches_table(seasons):
    rows = []
    match_id = 100
    for season, count in seasons:
        for _ in range(count):
            rows.append({"match_id": match_id, "season_id": int(season[:4]) if season[:4].isdigit() else 1, "season_name": season})
            match_id += 1
    return pd.DataFrame(rows)


class SplitTest(unittest.TestCase):
    def test_a_split_by_season_holds_out_the_latest_seasons_whole(self) -> None:
        table = matches_table([("2018/2019", 10), ("2019/2020", 10), ("2020/2021", 10)])
        split, used = choose_split(table, "auto", test_fraction=0.25)
        self.assertEqual(used, "season")
        self.assertEqual(set(split[split["set"] == "test"]["season_name"]), {"2020/2021"})
        self.assertEqual(check_split(split), {"train": 20, "test": 10})

    def test_a_split_by_match_is_seeded_stable_and_disjoint(self) -> None:
        table = matches_table([("synthetic", 40)])
        first, used = choose_split(table, "auto", test_fraction=0.25, seed=3)
        again, _ = choose_split(table, "auto", test_fraction=0.25, seed=3)
        self.assertEqual(used, "match")
        self.assertTrue(first.equals(again))
        counts = check_split(first)
        self.assertEqual(counts["train"] + counts["test"], 40)
        self.assertGreater(counts["test"], 4)

    def test_check_split_names_a_match_on_both_sides(self) -> None:
        split = pd.DataFrame({"match_id": [1, 1, 2], "set": ["train", "test", "train"]})
        with self.assertRaisesRegex(ValueError, r"both train and test: \[1\]"):
            check_split(split)


if __name__ == "__main__":
    unittest.main()
