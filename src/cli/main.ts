/**
 * bitplan command line: plans and frontiers for CI and shells, with the core in-process or
 * against a server (--server). Exit codes: 0 a plan (or frontier), 2 infeasible, 1 any other error.
 */
import { loadSeedStore } from '../service/seedStore.js';
import { parseCommandLine, USAGE } from './args.js';
import { describeCommand } from './commands/describe.js';
import { frontierCommand } from './commands/frontier.js';
import { planCommand } from './commands/plan.js';
import { CliError, EXIT_ERROR, EXIT_PLAN, inUserTerms } from './errors.js';
import { localRunner, serverRunner } from './runner.js';

export { EXIT_ERROR, EXIT_INFEASIBLE, EXIT_PLAN } from './errors.js';

export async function main(argv: string[], print: (text: string) => void = console.log): Promise<number> {
  if (argv[0] === 'describe') return describeCommand(argv.slice(1), print);
  const line = parseCommandLine(argv);
  if (!line) {
    print(USAGE);
    return argv[0] === '--help' || argv[0] === 'help' ? EXIT_PLAN : EXIT_ERROR;
  }
  const runner = line.server ? serverRunner(line.server) : localRunner(loadSeedStore());
  try {
    return await (line.command === 'plan' ? planCommand(line, runner, print) : frontierCommand(line, runner, print));
  } catch (error) {
    if (error instanceof CliError) throw new CliError(inUserTerms(error.message, line.budgetTexts), error.exitCode);
    throw error;
  }
}

/** Runs main and turns every failure into a message on stderr and an exit code. */
export async function run(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (error) {
    if (error instanceof CliError) {
      console.error(error.message);
      return error.exitCode;
    }
    console.error(`error: ${(error as Error).message}`);
    return EXIT_ERROR;
  }
}
