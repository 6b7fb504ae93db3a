import { writeFileSync } from 'node:fs';
import { PLAN_EXPORTS, type PlanExport } from '../../core/index.js';
import type { CommandLine } from '../args.js';
import { CliError, EXIT_ERROR, EXIT_PLAN } from '../errors.js';
import type { Runner } from '../runner.js';
import { planSummary } from '../summary.js';

/** `bitplan plan`: the plan's summary on stdout, the plan or its export in --out. */
export async function planCommand(line: CommandLine, runner: Runner, print: (text: string) => void): Promise<number> {
  if (!(PLAN_EXPORTS as readonly string[]).includes(line.format)) throw new CliError(`--format ${line.format}: expected one of ${PLAN_EXPORTS.join(', ')}`, EXIT_ERROR);
  const { plan, modelName, file } = await runner.plan(line.body, line.format as PlanExport);
  if (line.out) {
    writeFileSync(line.out, file ? file.body : `${JSON.stringify(plan, null, 2)}\n`);
    if (file?.usage) console.error(`usage: ${file.usage.replace('PLAN.txt', line.out)}`);
  }
  if (!line.quiet) print(planSummary(plan, modelName ?? String(line.body.seed ?? 'model')));
  return EXIT_PLAN;
}
