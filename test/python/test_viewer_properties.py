"""pitchstream_jobs.viewer_properties: each property found where it is broken, by match and minute, and nowhere else.

Run: PYTHONPATH=jobs .pitchstream/venv/bin/python -m unittest discover -s test/python -p 'test_viewer_properties.py' -v
"""

from __future__ import annotations

import unittest

from pitchstream_jobs.viewer_properties import match_violations, property_report, property_violations


def state(index, trigger, minute, score, p, reds=(0, 0), match_id=7):
    return {
        "match_id": match_id, "state_index": index, "trigger": trigger, "minute": minute, "home_goals": score[0], "away_goals": score[1],
        "home_red_cards": reds[0], "away_red_cards": reds[1], "p_home_win": p[0], "p_draw": p[1], "p_away_win": p[2],
    }


class ViewerPropertiesTest(unittest.TestCase):
    def test_a_sensible_match_breaks_nothing(self) -> None:
        states = [
            state(0, "minute", 10, (0, 0), (0.4, 0.3, 0.3)),
            state(1, "goal", 10, (0, 1), (0.2, 0.3, 0.5)),
            state(2, "red_card", 40, (0, 1), (0.15, 0.3, 0.55), reds=(1, 0)),
            state(3, "minute", 86, (0, 2), (0.02, 0.05, 0.93)),
        ]
        self.assertEqual(match_violations(states), [])

    def test_each_property_is_named_with_match_state_and_minute(self) -> None:
        states = [
            state(0, "minute", 10, (0, 0), (0.4, 0.3, 0.3)),
            state(1, "goal", 10, (1, 0), (0.38, 0.3, 0.32)),  # a home goal lowers P(home win)
            state(2, "red_card", 40, (1, 0), (0.3, 0.3, 0.4), reds=(1, 0)),  # the home side punished: fine
            state(3, "red_card", 41, (1, 0), (0.25, 0.3, 0.45), reds=(1, 1)),  # the away side punished, its P rises: broken
            state(4, "goal", 60, (2, 0), (0.7, 0.2, 0.1)),
            state(5, "minute", 88, (2, 0), (0.8, 0.15, 0.05)),  # a two-goal lead late, not above 0.85
        ]
        found = match_violations(states)
        self.assertEqual([(v["property"], v["state_index"], v["minute"]) for v in found], [("goal", 1, 10), ("red_card", 3, 41), ("late_lead", 5, 88)])
        self.assertIn("home goal: P(win) 0.400 → 0.380", found[0]["detail"])
        self.assertEqual({v["match_id"] for v in found}, {7})

    def test_matches_are_checked_apart_in_state_order_and_shootout_states_are_left_out(self) -> None:
        states = [
            state(1, "goal", 5, (1, 0), (0.3, 0.3, 0.4), match_id=2),
            state(0, "minute", 5, (0, 0), (0.4, 0.3, 0.3), match_id=2),
            state(0, "minute", 5, (0, 0), (0.2, 0.3, 0.5), match_id=1),  # another match's state comes in between: no comparison
            state(1, "shootout_kick", 121, (3, 0), (0.1, 0.0, 0.9), match_id=1),
        ]
        self.assertEqual([(v["match_id"], v["property"]) for v in property_violations(states)], [(2, "goal")])
        report = property_report(states)
        self.assertEqual(report["checked"], {"goal": 1, "red_card": 0, "late_lead": 0})
        self.assertEqual(report["violations"], {"goal": 1, "red_card": 0, "late_lead": 0})


if __name__ == "__main__":
    unittest.main()
