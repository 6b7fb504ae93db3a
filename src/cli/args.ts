import type { Budget } from '../contract/request.js';

const ABSOLUTE = /^\s*([A-Za-z]+)\s*<=\s*([-+0-9.eE]+)\s*$/;
const RELATIVE = /^\s*([A-Za-z]+)\s*:\s*([-+0-9.eE]+)\s*$/;

/** `sizeBytes<=6.5e6` (absolute) or `bops:0.5` (relative); undefined when neither. The schema checks the metric and range. */
export function parseBudget(text: string): Budget | undefined {
  const absolute = ABSOLUTE.exec(text);
  if (absolute) return { metric: absolute[1] as Budget['metric'], max: Number(absolute[2]) };
  const relative = RELATIVE.exec(text);
  if (relative) return { metric: relative[1] as Budget['metric'], fraction: Number(relative[2]) };
  return undefined;
}

/** Request paths in CLI terms: `budgets[0].max` is the first --budget. */
export function formatPathForCli(path: string): string {
  return path.replace(/^budgets[.[](\d+)\]?/, (_, k: string) => `--budget #${Number(k) + 1}`);
}
