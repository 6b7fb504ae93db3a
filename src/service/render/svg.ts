import type { Frontier } from '../../contract/frontier.js';

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
  if (abs >= 1e-2) return String(Number(value.toPrecision(3)));
  return value.toExponential(1);
}

function niceTicks(low: number, high: number, count: number): number[] {
  const span = high - low || Math.abs(high) || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/**
 * The frontier as an SVG chart: total sensitivity against the axis metric (log scale when it
 * spans more than two decades), the frontier as a line with one circle per point, the uniform
 * baselines as labelled squares, the knee ringed and labelled.
 */
export function frontierSvg(frontier: Frontier, title: string): string {
  const points = frontier.points;
  const marks = [...points.map((p) => ({ cost: p.cost, s: p.sensitivity })), ...frontier.baselines.map((b) => ({ cost: b.cost, s: b.sensitivity }))];
  const costs = marks.map((m) => m.cost);
  const sens = marks.map((m) => m.s);
  // 5% padding around the marks on both axes, so none sits on an axis line.
  const costLow = Math.min(...costs);
  const costHigh = Math.max(...costs);
  const costPad = (costHigh - costLow || Math.abs(costHigh) || 1) * 0.05;
  const minCost = costLow - costPad;
  const maxCost = costHigh + costPad;
  const positive = sens.filter((s) => s > 0);
  const logScale = positive.length === sens.length && positive.length > 0 && Math.max(...positive) / Math.min(...positive) > 100;
  const yOf = logScale ? (s: number) => Math.log10(s) : (s: number) => s;
  const yValues = sens.map(yOf);
  let yLow = Math.min(...yValues);
  let yHigh = Math.max(...yValues);
  if (yLow === yHigh) [yLow, yHigh] = [yLow - 1, yHigh + 1];
  const yPad = (yHigh - yLow) * 0.05;
  [yLow, yHigh] = [yLow - yPad, yHigh + yPad];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (cost: number) => MARGIN.left + ((cost - minCost) / (maxCost - minCost || 1)) * plotW;
  const y = (s: number) => MARGIN.top + plotH - ((yOf(s) - yLow) / (yHigh - yLow)) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<title>${escape(title)}</title>`);
  out.push(`<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(`<text x="${MARGIN.left}" y="28" font-size="16" font-weight="bold">${escape(title)}</text>`);
  // Axes, ticks and grid.
  out.push(`<g class="axes" stroke="#333" fill="none"><line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}"/><line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotH}"/></g>`);
  for (const tick of niceTicks(minCost, maxCost, 6)) {
    const px = x(tick);
    out.push(`<line x1="${px.toFixed(1)}" y1="${MARGIN.top}" x2="${px.toFixed(1)}" y2="${MARGIN.top + plotH + 5}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${px.toFixed(1)}" y="${MARGIN.top + plotH + 20}" text-anchor="middle">${compactNumber(tick)}</text>`);
  }
  const yTicks = logScale
    ? Array.from({ length: Math.floor(yHigh) - Math.ceil(yLow) + 1 }, (_, i) => Math.ceil(yLow) + i)
    : niceTicks(yLow, yHigh, 6);
  for (const tick of yTicks) {
    const py = MARGIN.top + plotH - ((tick - yLow) / (yHigh - yLow)) * plotH;
    out.push(`<line x1="${MARGIN.left - 5}" y1="${py.toFixed(1)}" x2="${MARGIN.left + plotW}" y2="${py.toFixed(1)}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${(py + 4).toFixed(1)}" text-anchor="end">${logScale ? compactNumber(10 ** tick) : compactNumber(tick)}</text>`);
  }
  out.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 22}" text-anchor="middle" font-size="13">${escape(`${frontier.axis} (${frontier.unit})`)}</text>`);
  out.push(`<text transform="translate(22 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="13">${escape(`total sensitivity${logScale ? ' (log scale)' : ''}`)}</text>`);
  // The frontier.
  if (points.length > 1) {
    const path = points.map((p) => `${x(p.cost).toFixed(1)},${y(p.sensitivity).toFixed(1)}`).join(' ');
    out.push(`<polyline class="frontier" points="${path}" fill="none" stroke="#1f6fb2" stroke-width="2"/>`);
  }
  points.forEach((p, i) => {
    const fill = p.status === 'optimal' ? '#1f6fb2' : '#f0a030';
    out.push(
      `<circle class="point" cx="${x(p.cost).toFixed(1)}" cy="${y(p.sensitivity).toFixed(1)}" r="3.5" fill="${fill}"><title>${escape(`point ${i}: ${frontier.axis} ${compactNumber(p.cost)}, sensitivity ${p.sensitivity.toPrecision(4)}, ${p.status}, ${p.source}`)}</title></circle>`,
    );
  });
  if (frontier.knee !== null) {
    const k = points[frontier.knee]!;
    out.push(`<circle class="knee" cx="${x(k.cost).toFixed(1)}" cy="${y(k.sensitivity).toFixed(1)}" r="9" fill="none" stroke="#c0392b" stroke-width="2.5"/>`);
    out.push(`<text x="${(x(k.cost) + 12).toFixed(1)}" y="${(y(k.sensitivity) - 10).toFixed(1)}" fill="#c0392b" font-weight="bold">knee</text>`);
  }
  for (const b of frontier.baselines) {
    const bx = x(b.cost);
    const by = y(b.sensitivity);
    out.push(`<rect class="baseline" x="${(bx - 4).toFixed(1)}" y="${(by - 4).toFixed(1)}" width="8" height="8" fill="${b.meetsBudgets ? '#555' : '#bbb'}"><title>${escape(`all ${b.candidate}`)}</title></rect>`);
    out.push(`<text x="${(bx + 7).toFixed(1)}" y="${(by + 4).toFixed(1)}" fill="#555" font-size="11">${escape(`all ${b.candidate}`)}</text>`);
  }
  // Legend.
  const lx = WIDTH - MARGIN.right + 20;
  out.push(`<g class="legend" font-size="12">`);
  out.push(`<line x1="${lx}" y1="${MARGIN.top + 8}" x2="${lx + 22}" y2="${MARGIN.top + 8}" stroke="#1f6fb2" stroke-width="2"/><circle cx="${lx + 11}" cy="${MARGIN.top + 8}" r="3.5" fill="#1f6fb2"/><text x="${lx + 30}" y="${MARGIN.top + 12}">frontier (${points.length} points)</text>`);
  out.push(`<circle cx="${lx + 11}" cy="${MARGIN.top + 30}" r="3.5" fill="#f0a030"/><text x="${lx + 30}" y="${MARGIN.top + 34}">not proven (time limit)</text>`);
  out.push(`<circle cx="${lx + 11}" cy="${MARGIN.top + 52}" r="8" fill="none" stroke="#c0392b" stroke-width="2"/><text x="${lx + 30}" y="${MARGIN.top + 56}">knee</text>`);
  out.push(`<rect x="${lx + 7}" y="${MARGIN.top + 70}" width="8" height="8" fill="#555"/><text x="${lx + 30}" y="${MARGIN.top + 78}">uniform baseline</text>`);
  out.push(`</g></svg>`);
  return `${out.join('\n')}\n`;
}
