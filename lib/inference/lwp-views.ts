// Views of live win probability: a stacked-area chart per match with goals and red cards marked, and a table of current matches.
import type { Figure } from '../charts';
import { htmlTable } from '../jupyter';
import type { TeamNames } from '../streaming';
import type { LwpLatencySummary } from './lwp-latency';
import { currentStates, type LwpState } from './lwp-outputs';

function teamName(names: TeamNames | undefined, teamId: number): string {
  const name = names instanceof Map ? names.get(teamId) : (names as Record<number, string> | undefined)?.[teamId];
  return name ?? `team ${teamId}`;
}

/** Match clock in minutes (minute + second / 60) of a state. */
export function clockMinutes(state: LwpState): number {
  const [minutes, seconds] = state.clock.split(':');
  return Number(minutes) + Number(seconds ?? 0) / 60;
}

function matchTitle(state: LwpState, names: TeamNames | undefined): string {
  return `${teamName(names, state.homeTeamId)} – ${teamName(names, state.awayTeamId)}${state.replay > 0 ? ` (replay ${state.replay})` : ''}`;
}

/**
 * One stacked-area chart per match (subplots stacked vertically): P(home win), P(draw), P(away win)
 * over the match clock; goals (●) and red cards (■) are marked on the top edge with their clock and score.
 */
export function winProbabilityFigure(states: readonly LwpState[], names?: TeamNames): Figure {
  const scored = states.filter((s) => s.probabilities !== null);
  const groups = new Map<string, LwpState[]>();
  for (const state of scored) {
    const key = `${state.matchId}/${state.replay}`;
    groups.set(key, [...(groups.get(key) ?? []), state]);
  }
  const data: Record<string, unknown>[] = [];
  const layout: Record<string, unknown> = { title: { text: 'Live win probability' }, legend: { orientation: 'h' }, annotations: [] };
  const keys = [...groups.keys()];
  const gap = 0.08;
  const height = keys.length > 0 ? (1 - gap * (keys.length - 1)) / keys.length : 1;
  keys.forEach((key, i) => {
    const series = [...groups.get(key)!].sort((a, b) => a.stateIndex - b.stateIndex);
    const axis = i === 0 ? '' : String(i + 1);
    const x = series.map(clockMinutes);
    const labels: Array<[string, number, string]> = [
      ['P(home win)', 0, '#1f77b4'],
      ['P(draw)', 1, '#aaaaaa'],
      ['P(away win)', 2, '#d62728'],
    ];
    for (const [name, k, color] of labels)
      data.push({
        type: 'scatter',
        mode: 'lines',
        stackgroup: `match${i}`,
        name,
        legendgroup: name,
        showlegend: i === 0,
        line: { width: 0.5, color },
        x,
        y: series.map((s) => s.probabilities![k]),
        xaxis: `x${axis}`,
        yaxis: `y${axis}`,
        hovertemplate: `%{x:.1f}' ${name} %{y:.3f}<extra></extra>`,
      });
    const kicks = series.filter((s) => s.trigger === 'shootout_kick');
    if (kicks.length > 0)
      data.push({
        type: 'scatter',
        mode: 'markers',
        name: 'shoot-out kick',
        legendgroup: 'shootout',
        showlegend: i === 0,
        marker: { symbol: 'diamond', size: 8, color: 'black' },
        x: kicks.map(clockMinutes),
        y: kicks.map(() => 1.02),
        hovertext: kicks.map((s) => `${s.clock} penalty (${teamName(names, s.eventTeamId ?? 0)}) shoot-out ${shootoutScore(s)}`),
        xaxis: `x${axis}`,
        yaxis: `y${axis}`,
        cliponaxis: false,
      });
    for (const trigger of ['goal', 'red_card'] as const) {
      const marked = series.filter((s) => s.trigger === trigger);
      if (marked.length === 0) continue;
      data.push({
        type: 'scatter',
        mode: 'markers+text',
        name: trigger === 'goal' ? 'goal' : 'red card',
        legendgroup: trigger,
        showlegend: i === 0,
        marker: { symbol: trigger === 'goal' ? 'circle' : 'square', size: 10, color: trigger === 'goal' ? 'black' : 'red' },
        x: marked.map(clockMinutes),
        y: marked.map(() => 1.02),
        text: marked.map((s) => (trigger === 'goal' ? `${s.homeGoals}-${s.awayGoals}` : 'RC')),
        textposition: 'top center',
        hovertext: marked.map((s) => `${s.clock} ${s.eventType} (${teamName(names, s.eventTeamId ?? 0)}) ${s.homeGoals}-${s.awayGoals}`),
        xaxis: `x${axis}`,
        yaxis: `y${axis}`,
        cliponaxis: false,
      });
    }
    const top = 1 - i * (height + gap);
    layout[`xaxis${axis}`] = { title: { text: 'match clock (minutes)' }, anchor: `y${axis}` };
    layout[`yaxis${axis}`] = { title: { text: 'probability' }, range: [0, 1.12], domain: [Math.max(0, top - height), top] };
    (layout.annotations as unknown[]).push({
      text: matchTitle(series[0]!, names),
      xref: 'paper',
      yref: 'paper',
      x: 0,
      y: top + 0.01,
      xanchor: 'left',
      yanchor: 'bottom',
      showarrow: false,
    });
  });
  return { data, layout };
}

const fixed = (value: number, digits: number) => Number(value.toFixed(digits));

/** "4-3 (5 and 5 kicks)": a shoot-out's score at a state. */
function shootoutScore(state: LwpState): string {
  const s = state.shootout;
  return s ? `${s.homeGoals}-${s.awayGoals} (${s.homeKicks} and ${s.awayKicks} kicks)` : '';
}

/** Score as a viewer reads it: the match score, and the shoot-out's once it has started. */
function scoreText(state: LwpState): string {
  return `${state.homeGoals}-${state.awayGoals}${state.shootout ? `, pens ${state.shootout.homeGoals}-${state.shootout.awayGoals}` : ''}`;
}

function triggerText(state: LwpState): string {
  if (state.trigger === 'minute') return `minute (${state.eventType ?? ''})`;
  if (state.trigger === 'shootout_start') return 'penalty shoot-out starts (P = chance to win it)';
  if (state.trigger === 'shootout_kick') return `shoot-out kick (P = chance to win it)`;
  return `${state.trigger} (${state.eventType ?? ''})`;
}

/** The current state of each match: score, clock, probabilities and what triggered the state. */
export function currentMatchesTableHtml(states: readonly LwpState[], names?: TeamNames): string {
  const rows = currentStates(states).map((s) => ({
    match: matchTitle(s, names),
    score: scoreText(s),
    clock: s.clock,
    period: s.period,
    'P(home)': s.probabilities ? fixed(s.probabilities[0], 3) : '–',
    'P(draw)': s.probabilities ? fixed(s.probabilities[1], 3) : '–',
    'P(away)': s.probabilities ? fixed(s.probabilities[2], 3) : '–',
    'red cards': `${s.homeRedCards}-${s.awayRedCards}`,
    trigger: triggerText(s),
    states: s.stateIndex + 1,
  }));
  return rows.length === 0 ? '<p><em>No state yet.</em></p>' : htmlTable(rows);
}

/** Latency with and without the model, side by side (ms; events/s). */
export function latencyComparisonTableHtml(withModel: LwpLatencySummary, withoutModel: LwpLatencySummary): string {
  const row = (label: string, s: LwpLatencySummary) => ({
    run: label,
    batches: s.batches,
    events: s.events,
    'events/s': fixed(s.eventsPerSecond, 0),
    'batch p50 (ms)': fixed(s.batchDurationP50Ms, 0),
    'batch p95 (ms)': fixed(s.batchDurationP95Ms, 0),
    'end-to-end p50 (ms)': fixed(s.endToEndP50Ms, 0),
    'end-to-end p95 (ms)': fixed(s.endToEndP95Ms, 0),
  });
  const ratio = withoutModel.batchDurationP50Ms > 0 ? withModel.batchDurationP50Ms / withoutModel.batchDurationP50Ms : NaN;
  return htmlTable([row('with model', withModel), row('without model (features only)', withoutModel)]) +
    `<p>Batch duration p50 with the model / without: <b>${Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a'}</b></p>`;
}
