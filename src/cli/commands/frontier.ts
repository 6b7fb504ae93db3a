import { writeFileSync } from 'node:fs';
import type { FrontierRepresentation } from '../../service/render/answer.js';
import type { CommandLine } from '../args.js';
import { CliError, EXIT_ERROR, EXIT_PLAN } from '../errors.js';
import type { Runner } from '../runner.js';
import { frontierSummary } from '../summary.js';

const REPRESENTATIONS: FrontierRepresentation[] = ['json', 'csv', 'svg'];

/** `bitplan frontier`: the frontier's summary on stdout, the frontier as JSON, CSV or SVG in --out. */
export async function frontierCommand(line: CommandLine, runner: Runner, print: (text: string) => void): Promise<number> {
  if (!(REPRESENTATIONS as string[]).includes(line.format)) throw new CliError(`--format ${line.format}: expected json, csv or svg for a frontier`, EXIT_ERROR);
  const { frontier, file } = await runner.frontier(line.body, line.format as FrontierRepresentation);
  if (line.out) writeFileSync(line.out, file ? file.body : `${JSON.stringify(frontier, null, 2)}\n`);
  if (!line.quiet) print(frontierSummary(frontier));
  return EXIT_PLAN;
}
