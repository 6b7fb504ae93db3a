import { z } from 'zod';
import { DEFAULT_BODY_LIMIT_BYTES } from './http/app.js';

const Config = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_BODY_LIMIT_BYTES),
});
export type Config = z.infer<typeof Config>;

/** Reads the configuration from the environment; a bad value stops start-up with a message naming it. */
export function readConfig(env: NodeJS.ProcessEnv): Config {
  const result = Config.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}=${JSON.stringify(env[String(issue.path[0])])}: ${issue.message}`);
  throw new Error(`bitplan: invalid configuration: ${problems.join('; ')}`);
}
