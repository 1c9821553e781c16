"""What a viewer of live win probability takes for granted, checked over a match's scored states.

A display people trust must never contradict what they just saw. Over the states of one match, in
state order (the stream's output or the training's test predictions):

* ``goal``: a goal never lowers the scoring side's win probability against the state just before it;
* ``red_card``: a red card never raises the punished side's win probability against the state just before it;
* ``late_lead``: with a lead of LATE_LEAD_GOALS or more from minute LATE_LEAD_MINUTE on (extra time
  included), the leading side's win probability is above LATE_LEAD_MIN_PROBABILITY.

:func:`property_violations` lists the states that break one, by match and minute; the training job
reports them for the saved model on its test matches (report.json ``viewer_properties``), and the
tests run the same checks on streamed real matches. Shoot-out states are not checked: their
probabilities are those of the shoot-out (see lwp_inference.ShootoutTally).
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Sequence

LATE_LEAD_MINUTE = 85
LATE_LEAD_GOALS = 2
LATE_LEAD_MIN_PROBABILITY = 0.85
PROPERTIES = ("goal", "red_card", "late_lead")
#: Equal probabilities compare equal: the forest gives exactly the same value for unchanged inputs.
TOLERANCE = 1e-12


def _win(state: Mapping[str, Any], side: int) -> float:
    return float(state["p_home_win"] if side == 0 else state["p_away_win"])


def _side_that_rose(before: Mapping[str, Any], after: Mapping[str, Any], home: str, away: str) -> int:
    """0 when the home count went up between the states, 1 when the away count did, -1 otherwise."""
    if float(after[home]) > float(before[home]):
        return 0
    if float(after[away]) > float(before[away]):
        return 1
    return -1


def _violation(prop: str, state: Mapping[str, Any], detail: str) -> Dict[str, Any]:
    return {
        "property": prop,
        "match_id": int(state["match_id"]),
        "state_index": int(state["state_index"]),
        "minute": int(state["minute"]),
        "detail": detail,
    }


def match_violations(states: Sequence[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """The violations among one match's states (in state order), each named by property, match, state and minute."""
    found: List[Dict[str, Any]] = []
    regular = [state for state in states if not str(state.get("trigger", "")).startswith("shootout")]
    for before, state in zip([None, *regular[:-1]], regular):
        trigger = state.get("trigger")
        if before is not None and trigger == "goal":
            side = _side_that_rose(before, state, "home_goals", "away_goals")
            if side >= 0 and _win(state, side) < _win(before, side) - TOLERANCE:
                found.append(_violation("goal", state, f"{'home' if side == 0 else 'away'} goal: P(win) {_win(before, side):.3f} → {_win(state, side):.3f}"))
        if before is not None and trigger == "red_card":
            side = _side_that_rose(before, state, "home_red_cards", "away_red_cards")
            if side >= 0 and _win(state, side) > _win(before, side) + TOLERANCE:
                found.append(_violation("red_card", state, f"{'home' if side == 0 else 'away'} red card: P(win) {_win(before, side):.3f} → {_win(state, side):.3f}"))
        lead = float(state["home_goals"]) - float(state["away_goals"])
        if int(state["minute"]) >= LATE_LEAD_MINUTE and abs(lead) >= LATE_LEAD_GOALS:
            side = 0 if lead > 0 else 1
            if _win(state, side) <= LATE_LEAD_MIN_PROBABILITY:
                found.append(_violation("late_lead", state, f"{'home' if side == 0 else 'away'} leads by {abs(lead):.0f}: P(win) {_win(state, side):.3f}"))
    return found


def checked_counts(states: Iterable[Mapping[str, Any]]) -> Dict[str, int]:
    """How many states each property looked at (goals, red cards, late states with a lead of two)."""
    counts = {prop: 0 for prop in PROPERTIES}
    for state in states:
        if str(state.get("trigger", "")).startswith("shootout"):
            continue
        counts["goal"] += state.get("trigger") == "goal"
        counts["red_card"] += state.get("trigger") == "red_card"
        lead = abs(float(state["home_goals"]) - float(state["away_goals"]))
        counts["late_lead"] += int(state["minute"]) >= LATE_LEAD_MINUTE and lead >= LATE_LEAD_GOALS
    return counts


def property_violations(states: Sequence[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """match_violations over the states of many matches (grouped by match_id, ordered by state_index)."""
    by_match: Dict[int, List[Mapping[str, Any]]] = {}
    for state in states:
        by_match.setdefault(int(state["match_id"]), []).append(state)
    found: List[Dict[str, Any]] = []
    for match_id in sorted(by_match):
        found.extend(match_violations(sorted(by_match[match_id], key=lambda s: int(s["state_index"]))))
    return found


def property_report(states: Sequence[Mapping[str, Any]], listed: int = 50) -> Dict[str, Any]:
    """The checked counts, the number of violations per property, and the first `listed` violations."""
    violations = property_violations(states)
    return {
        "thresholds": {"late_lead_minute": LATE_LEAD_MINUTE, "late_lead_goals": LATE_LEAD_GOALS, "late_lead_min_probability": LATE_LEAD_MIN_PROBABILITY},
        "checked": checked_counts(states),
        "violations": {prop: sum(v["property"] == prop for v in violations) for prop in PROPERTIES},
        "listed": violations[:listed],
    }


__all__ = ["LATE_LEAD_GOALS", "LATE_LEAD_MIN_PROBABILITY", "LATE_LEAD_MINUTE", "PROPERTIES", "checked_counts", "match_violations", "property_report", "property_violations"]
