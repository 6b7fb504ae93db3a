import { availableParallelism } from 'node:os';
import { z } from 'zod';

const integer = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * The service's configuration, from environment variables (README, Configuration). Every
 * variable is optional; a bad value stops start-up with a message naming it.
 */
export const Config = z.object({
  PORT: integer(0, 65535, 8080),
  // Loopback unless told otherwise: the Docker image sets HOST=0.0.0.0.
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: integer(1024, 2 ** 31, 64 * 1024 * 1024),
  MAX_LAYERS: integer(1, 10_000_000, 100_000),
  MAX_CANDIDATES_PER_LAYER: integer(1, 1024, 64),
  MAX_BUDGETS: integer(1, 64, 16),
  MAX_FRONTIER_POINTS: integer(2, 1000, 1000),
  SOLVER_THREADS: integer(1, 256, Math.max(1, availableParallelism())),
  MAX_QUEUE: integer(0, 100_000, 64),
  SOLVE_TIME_CEILING_MS: integer(100, 3_600_000, 120_000),
  SOLVER_THREAD_MEMORY_MB: integer(64, 65_536, 2048),
  // Linux nice value of the solver threads, so that the event loop wins a core from them (README,
  // Configuration). 0 by default: on 2 cores the 50-client mix measured no clear gain at 10
  // (/healthz p95 6.0 ms against 8.8 ms, worst 35 against 24 ms, one run each), since Linux
  // already favours a thread that wakes up, and a nice solver also yields to other processes.
  SOLVER_THREAD_NICE: integer(0, 19, 0),
  // Each solver thread makes a large plan at start-up (src/worker/warmUp.ts), one thread at a
  // time, so that the first large request is as fast as the rest; GET /readyz answers 503 until
  // every thread is done.
  SOLVER_WARM_UP: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
  // Connection limits against slow or idle clients (README, Configuration).
  REQUEST_TIMEOUT_MS: integer(0, 3_600_000, 30_000),
  HEADERS_TIMEOUT_MS: integer(0, 3_600_000, 10_000),
  KEEP_ALIVE_TIMEOUT_MS: integer(0, 3_600_000, 5_000),
  CONNECTION_TIMEOUT_MS: integer(0, 3_600_000, 0),
  MAX_CONNECTIONS: integer(1, 1_000_000, 1024),
  // On SIGTERM, in-flight solves get this long to finish; the rest are answered 503 and the
  // process exits: 25 s, plus SHUTDOWN_ANSWER_MS, is within Kubernetes' default 30 s grace period.
  SHUTDOWN_TIMEOUT_MS: integer(0, 3_600_000, 25_000),
  // Access (README, Configuration): bearer tokens, a per-client rate limit, a proxy to trust.
  API_TOKENS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((token) => token.trim()).filter(Boolean))
    .refine((tokens) => tokens.every((t) => t.length >= 16 && /^[\x21-\x7e]+$/.test(t)), 'expected comma-separated tokens of at least 16 visible ASCII characters'),
  RATE_LIMIT_PER_MINUTE: integer(0, 1_000_000, 600),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value): boolean | number | string => (value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value)),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .refine((origins) => origins.every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o)), 'expected * or comma-separated origins like https://notebooks.example.org'),
});
export type Config = z.infer<typeof Config>;

/**
 * After SHUTDOWN_TIMEOUT_MS, the 503 answers to the solves still running get this long to be
 * written before the process exits regardless; an orchestrator's grace period should exceed the
 * two together (docker/compose.yaml, docker/kubernetes.yaml).
 */
export const SHUTDOWN_ANSWER_MS = 2_000;

/** Earlier names of variables, still read when the current name is not set. */
const FORMER_NAMES: Record<string, string> = { SHUTDOWN_GRACE_MS: 'SHUTDOWN_TIMEOUT_MS' };

/** Variables whose values are secrets: an error names them and says what is wrong, never what they hold (it ends up in logs). */
const SECRET = new Set(['API_TOKENS']);

/** What an error may show of a variable's value. */
function shown(name: string, value: string | undefined): string {
  if (!SECRET.has(name)) return JSON.stringify(value);
  const tokens = (value ?? '').split(',').map((token) => token.trim()).filter(Boolean);
  const short = tokens.filter((t) => t.length < 16 || !/^[\x21-\x7e]+$/.test(t)).length;
  return `(${tokens.length} token${tokens.length === 1 ? '' : 's'}, ${short} of them too short or with invisible characters; values not shown)`;
}

/** Reads the configuration from the environment; throws an Error naming every bad variable. */
export function readConfig(env: NodeJS.ProcessEnv): Config {
  const named = { ...env };
  for (const [former, current] of Object.entries(FORMER_NAMES)) {
    if (named[current] === undefined && named[former] !== undefined) named[current] = named[former];
  }
  const result = Config.safeParse(named);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${String(issue.path[0])}=${shown(String(issue.path[0]), named[String(issue.path[0])])}: ${issue.message}`);
  throw new Error(`bitplan: invalid configuration: ${problems.join('; ')}`);
}

/** The defaults, as the service runs with no variables set. */
export const DEFAULT_CONFIG: Config = Config.parse({});
