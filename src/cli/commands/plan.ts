import { writeFileSync } from 'node:fs';
import { LLAMA_CPP_UNQUANTIZED_TYPES, PLAN_EXPORTS, type PlanExport } from '../../core/index.js';
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
    if (file?.usage) console.error(`usage: ${usageLine(file.usage, line)}`);
  }
  for (const warning of file?.warnings ?? []) console.error(`warning: ${warning}`);
  if (line.format === 'llama-cpp' && line.positionalType && LLAMA_CPP_UNQUANTIZED_TYPES.includes(line.positionalType.toUpperCase())) {
    console.error(`warning: --positional-type ${line.positionalType}: llama-quantize ignores the whole --tensor-type-file when its positional type is ${LLAMA_CPP_UNQUANTIZED_TYPES.join(', ')}; give a quantized type such as Q8_0 or Q4_K_M`);
  }
  if (!line.quiet) print(planSummary(plan, modelName ?? (line.body.model as { name?: string } | undefined)?.name ?? String(line.body.seed ?? 'model')));
  return EXIT_PLAN;
}

/** The export's usage with the file written and, for llama.cpp, the positional type asked. */
function usageLine(usage: string, line: CommandLine): string {
  const named = usage.replace(/PLAN\.(txt|yaml|json)/, line.out ?? '$&');
  return line.positionalType ? named.replace(/ Q8_0 \(the positional type.*$/, ` ${line.positionalType}`) : named;
}
