import type { Frontier } from '../../contract/frontier.js';
import { METRIC_NAMES } from '../../core/index.js';

const WIDTH = 860;
const HEIGHT = 540;
const MARGIN = { left: 90, right: 200, top: 56, bottom: 70 };

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** 1234567 -> "1.23M": short tick labels. */
export function compactNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  if (abs >= 1e3 && abs < 1e15) {
    const exponent = Math.min(4, Math.floor(Math.log10(abs) / 3));
    return `${Number((value / 10 ** (3 * exponent)).toPrecision(3))}${['', 'k', 'M', 'G', 'T'][exponent]}`;
  }
  if (abs >= 1e-4) return String(Number(value.toPrecision(3)));
  return value.toExponential(1);
}

function niceTicks(low: number, high: number, count: number): number[] {
  const span = high - low || Math.abs(high) || 1;
  // Ask for more until at least four land inside the range (a wide step can leave only three).
  for (let asked = count; ; asked *= 2) {
    const raw = span / asked;
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
    const ticks: number[] = [];
    for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
    if (ticks.length >= 4 || asked > 64) return ticks;
  }
}

/** Log-scale ticks (as log10 values): every decade, with 2x and 5x between them when there are few decades. */
function logTicks(low: number, high: number): number[] {
  const decades = Array.from({ length: Math.max(0, Math.floor(high) - Math.ceil(low) + 1) }, (_, i) => Math.ceil(low) + i);
  if (decades.length >= 4) return decades;
  const ticks: number[] = [];
  for (let d = Math.floor(low); d <= Math.ceil(high); d++) {
    for (const m of [1, 2, 5]) {
      const t = d + Math.log10(m);
      if (t >= low && t <= high) ticks.push(t);
    }
  }
  return ticks;
}

/** The unit a person reads for an axis metric: its scale and label (MB for sizeBytes near 1e6, GBOPs for BOPs, ...). */
export function readableUnit(axis: string, unit: string, largest: number): { scale: number; label: string } {
  const prefixed = (base: string, steps: [number, string][]) => {
    const [scale, prefix] = steps.find(([s]) => largest >= s) ?? [1, ''];
    return { scale, label: `${prefix}${base}` };
  };
  if (axis === 'sizeBytes') return prefixed('B', [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']]);
  if (axis === 'bops') return prefixed('BOPs', [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']]);
  if (axis === 'energyJ') return largest >= 1 ? { scale: 1, label: 'J' } : largest >= 1e-3 ? { scale: 1e-3, label: 'mJ' } : { scale: 1e-6, label: 'µJ' };
  if (axis === 'macLuts') return prefixed('LUTs', [[1e6, 'M'], [1e3, 'k']]);
  if (axis === 'latencyMs') return { scale: 1, label: unit === 'milliseconds' ? 'ms' : 'measured table units' };
  if (axis === 'avgBits') return { scale: 1, label: 'bits' };
  return { scale: 1, label: unit };
}

/** The least and the greatest of many values (a spread of 100,000 arguments can overflow the stack). */
function extent(values: readonly number[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return [low, high];
}

/** Past this many points the frontier is a line without a marker per point (a 4,000-point `all` chart stays small). */
const MARKERS_UP_TO = 300;

/**
 * The frontier as an SVG chart: total sensitivity against the axis metric in a unit a person
 * reads (log scale when sensitivity spans more than two decades), the frontier as a line with
 * one circle per point (a line alone past MARKERS_UP_TO points), the uniform baselines as
 * labelled squares whose labels never overprint, the knee ringed and labelled with its values,
 * and a legend of what is drawn.
 */
export function frontierSvg(frontier: Frontier, title: string): string {
  const points = frontier.points;
  const marks = [...points.map((p) => ({ cost: p.cost, s: p.sensitivity })), ...frontier.baselines.map((b) => ({ cost: b.cost, s: b.sensitivity }))];
  const costs = marks.map((m) => m.cost);
  const sens = marks.map((m) => m.s);
  const [costLow, costHigh] = extent(costs);
  const unit = readableUnit(frontier.axis, frontier.unit, Math.max(Math.abs(costLow), Math.abs(costHigh)));
  // 5% padding around the marks on both axes, so none sits on an axis line.
  const costPad = (costHigh - costLow || Math.abs(costHigh) || 1) * 0.05;
  const minCost = costLow - costPad;
  const maxCost = costHigh + costPad;
  const positive = sens.filter((s) => s > 0);
  const [positiveLow, positiveHigh] = extent(positive);
  const logScale = positive.length === sens.length && positive.length > 0 && positiveHigh / positiveLow > 100;
  const yOf = logScale ? (s: number) => Math.log10(s) : (s: number) => s;
  const yValues = sens.map(yOf);
  let [yLow, yHigh] = extent(yValues);
  if (yLow === yHigh) [yLow, yHigh] = [yLow - 1, yHigh + 1];
  const yPad = (yHigh - yLow) * 0.05;
  [yLow, yHigh] = [yLow - yPad, yHigh + yPad];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (cost: number) => MARGIN.left + ((cost - minCost) / (maxCost - minCost || 1)) * plotW;
  const y = (s: number) => MARGIN.top + plotH - ((yOf(s) - yLow) / (yHigh - yLow)) * plotH;
  const costText = (cost: number) => `${compactNumber(cost / unit.scale)} ${unit.label}`;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<title>${escape(title)}</title>`);
  out.push(`<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(`<text x="${MARGIN.left}" y="28" font-size="16" font-weight="bold">${escape(title)}</text>`);
  out.push(`<text class="subtitle" x="${MARGIN.left}" y="46" fill="#555">${escape(pointsExplained(frontier))}</text>`);
  // Axes, ticks and grid.
  out.push(`<g class="axes" stroke="#333" fill="none"><line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}"/><line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotH}"/></g>`);
  for (const tick of niceTicks(minCost / unit.scale, maxCost / unit.scale, 6)) {
    const px = x(tick * unit.scale);
    out.push(`<line class="x-tick" x1="${px.toFixed(1)}" y1="${MARGIN.top}" x2="${px.toFixed(1)}" y2="${MARGIN.top + plotH + 5}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${px.toFixed(1)}" y="${MARGIN.top + plotH + 20}" text-anchor="middle">${compactNumber(tick)}</text>`);
  }
  for (const tick of logScale ? logTicks(yLow, yHigh) : niceTicks(yLow, yHigh, 6)) {
    const py = MARGIN.top + plotH - ((tick - yLow) / (yHigh - yLow)) * plotH;
    out.push(`<line class="y-tick" x1="${MARGIN.left - 5}" y1="${py.toFixed(1)}" x2="${MARGIN.left + plotW}" y2="${py.toFixed(1)}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${(py + 4).toFixed(1)}" text-anchor="end">${logScale ? compactNumber(10 ** tick) : compactNumber(tick)}</text>`);
  }
  out.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 22}" text-anchor="middle" font-size="13">${escape(`${METRIC_NAMES[frontier.axis]} (${unit.label})`)}</text>`);
  out.push(`<text transform="translate(22 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="13">${escape(`total sensitivity${logScale ? ' (log scale)' : ''}`)}</text>`);
  // The frontier.
  const markers = points.length <= MARKERS_UP_TO;
  if (points.length > 1) {
    const path = points.map((p) => `${x(p.cost).toFixed(1)},${y(p.sensitivity).toFixed(1)}`).join(' ');
    out.push(`<polyline class="frontier" points="${path}" fill="none" stroke="#1f6fb2" stroke-width="2"/>`);
  }
  const unproven = points.filter((p) => p.status !== 'optimal').length;
  points.forEach((p, i) => {
    // Without markers, only the points not proven optimal are still marked.
    if (!markers && p.status === 'optimal') return;
    const fill = p.status === 'optimal' ? '#1f6fb2' : '#f0a030';
    out.push(
      `<circle class="point" cx="${x(p.cost).toFixed(1)}" cy="${y(p.sensitivity).toFixed(1)}" r="3.5" fill="${fill}"><title>${escape(`point ${i}: ${frontier.axis} ${costText(p.cost)}, sensitivity ${p.sensitivity.toPrecision(4)}, ${p.status}, ${p.source}`)}</title></circle>`,
    );
  });
  // Labels placed top to bottom, each moved down until it clears the ones before (12 px rows).
  const placed: { x: number; y: number; width: number }[] = [];
  const place = (px: number, py: number, width: number) => {
    let ly = py;
    while (placed.some((q) => Math.abs(q.y - ly) < 13 && px < q.x + q.width && q.x < px + width)) ly += 13;
    placed.push({ x: px, y: ly, width });
    return ly;
  };
  if (frontier.knee !== null) {
    const k = points[frontier.knee]!;
    const label = `knee: ${costText(k.cost)}, sensitivity ${k.sensitivity.toPrecision(3)}`;
    const kneeX = x(k.cost);
    const kneeY = y(k.sensitivity);
    out.push(`<circle class="knee" cx="${kneeX.toFixed(1)}" cy="${kneeY.toFixed(1)}" r="9" fill="none" stroke="#c0392b" stroke-width="2.5"/>`);
    const width = label.length * 6.5;
    const curve = points.map((p) => ({ x: x(p.cost), y: y(p.sensitivity) }));
    // The first place beside the knee, inside the plot, where the label crosses neither the
    // curve nor the ring; then it is joined to the knee by a thin line when it sits apart.
    const spots = [-14, -30, -46, -62, 26, 42, 58, 74, -78, -94].flatMap((dy) => [
      { x: kneeX + 12, y: kneeY + dy },
      { x: kneeX - 12 - width, y: kneeY + dy },
    ]);
    const inside = (spot: { x: number; y: number }) => spot.x >= MARGIN.left + 2 && spot.x + width <= MARGIN.left + plotW && spot.y - 11 >= MARGIN.top && spot.y + 3 <= MARGIN.top + plotH;
    const clear = (spot: { x: number; y: number }) => !boxCrossesLine({ left: spot.x - 2, top: spot.y - 12, right: spot.x + width + 2, bottom: spot.y + 4 }, curve) && !(spot.x - 2 < kneeX + 10 && kneeX - 10 < spot.x + width + 2 && spot.y - 12 < kneeY + 10 && kneeY - 10 < spot.y + 4);
    const spot = spots.find((candidate) => inside(candidate) && clear(candidate)) ?? { x: Math.min(kneeX + 12, MARGIN.left + plotW - width), y: kneeY - 14 };
    const ly = place(spot.x, spot.y, width);
    if (Math.abs(ly - kneeY) > 20) out.push(`<line class="knee-leader" x1="${kneeX.toFixed(1)}" y1="${(kneeY + (ly < kneeY ? -9 : 9)).toFixed(1)}" x2="${(spot.x < kneeX ? spot.x + width : spot.x).toFixed(1)}" y2="${(ly - 4).toFixed(1)}" stroke="#c0392b" stroke-width="1"/>`);
    out.push(`<text class="knee-label" x="${spot.x.toFixed(1)}" y="${ly.toFixed(1)}" fill="#c0392b" font-weight="bold">${escape(label)}</text>`);
  }
  for (const b of [...frontier.baselines].sort((p, q) => y(p.sensitivity) - y(q.sensitivity))) {
    const bx = x(b.cost);
    const by = y(b.sensitivity);
    const label = `all ${b.candidate}`;
    out.push(`<rect class="baseline" x="${(bx - 4).toFixed(1)}" y="${(by - 4).toFixed(1)}" width="8" height="8" fill="${b.meetsBudgets ? '#555' : '#bbb'}"><title>${escape(`${label}: ${costText(b.cost)}, sensitivity ${b.sensitivity.toPrecision(4)}`)}</title></rect>`);
    const lx = Math.min(bx + 7, WIDTH - 6 - label.length * 6);
    out.push(`<text class="baseline-label" x="${lx.toFixed(1)}" y="${place(lx, by + 4, label.length * 6).toFixed(1)}" fill="#555" font-size="11">${escape(label)}</text>`);
  }
  // Legend: only what the chart draws.
  const lx = WIDTH - MARGIN.right + 20;
  const entries: string[] = [
    `<line x1="${lx}" y1="0" x2="${lx + 22}" y2="0" stroke="#1f6fb2" stroke-width="2"/>${markers ? `<circle cx="${lx + 11}" cy="0" r="3.5" fill="#1f6fb2"/>` : ''}<text x="${lx + 30}" y="4">frontier: ${points.length} plans</text>`,
  ];
  if (unproven > 0) entries.push(`<circle cx="${lx + 11}" cy="0" r="3.5" fill="#f0a030"/><text x="${lx + 30}" y="4">not proven (time limit)</text>`);
  if (frontier.knee !== null) entries.push(`<circle cx="${lx + 11}" cy="0" r="8" fill="none" stroke="#c0392b" stroke-width="2"/><text x="${lx + 30}" y="4">knee</text>`);
  if (frontier.baselines.length > 0) entries.push(`<rect x="${lx + 7}" y="-4" width="8" height="8" fill="#555"/><text x="${lx + 30}" y="4">uniform baseline</text>`);
  out.push(`<g class="legend" font-size="12">`);
  entries.forEach((entry, n) => out.push(`<g class="legend-entry" transform="translate(0 ${MARGIN.top + 8 + 22 * n})">${entry}</g>`));
  out.push(`</g></svg>`);
  return `${out.join('\n')}\n`;
}

/** Whether any segment of the polyline crosses the box (Liang-Barsky clipping of each segment). */
export function boxCrossesLine(box: { left: number; top: number; right: number; bottom: number }, line: readonly { x: number; y: number }[]): boolean {
  for (let n = 0; n + 1 < line.length; n++) {
    const a = line[n]!;
    const b = line[n + 1]!;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    let low = 0;
    let high = 1;
    let crosses = true;
    for (const [p, q] of [[-dx, a.x - box.left], [dx, box.right - a.x], [-dy, a.y - box.top], [dy, box.bottom - a.y]] as const) {
      if (p === 0) {
        if (q < 0) crosses = false;
      } else {
        const t = q / p;
        if (p < 0) low = Math.max(low, t);
        else high = Math.min(high, t);
      }
    }
    if (crosses && low <= high) return true;
  }
  return false;
}

/** Why the chart has as many points as it has: hull vertices and budget optima, merged and thinned to the non-dominated. */
function pointsExplained(frontier: Frontier): string {
  const bySource = (source: string) => frontier.points.filter((point) => point.source === source).length;
  if (bySource('pareto') > 0) return `${frontier.points.length} plans: every Pareto-optimal plan`;
  const parts = [bySource('supported') > 0 ? `${bySource('supported')} vertices of the convex hull` : '', bySource('budget') > 0 ? `${bySource('budget')} optima at the ${frontier.solver.solves} budgets solved` : ''].filter(Boolean);
  return `${frontier.points.length} non-dominated plans: ${parts.join(' and ')}`;
}
