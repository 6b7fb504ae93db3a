import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListening } from '../support/app.js';
import { pythonWith, runAsync } from '../support/process.js';

const packageDir = fileURLToPath(new URL('../../clients/python', import.meta.url));

describe('the Python package (clients/python) against a started service', () => {
  let app: FastifyInstance;
  let server: string;
  beforeAll(async () => ({ app, url: server } = await startListening()));
  afterAll(() => app.close());

  // The client, bitplan.torch against direct computations, and examples/torch/digits.py reduced.
  it('passes its unittest suite', async () => {
    const python = pythonWith(['requests', 'torch', 'sklearn']);
    const run = await runAsync(python, ['-m', 'unittest', 'discover', '-s', join(packageDir, 'tests'), '-t', packageDir, '-v'], {
      cwd: packageDir,
      env: { ...process.env, BITPLAN_URL: server, PYTHONPATH: packageDir },
    });
    expect(run.stderr, run.stderr.slice(-4000)).toMatch(/\nOK\s*$/);
    expect(run.stderr).toMatch(/Ran (1[2-9]|[2-9]\d) tests/);
    expect(run.status).toBe(0);
  }, 600_000);
});
