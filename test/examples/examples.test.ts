import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListening } from '../support/app.js';
import { runAsync } from '../support/process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A Python 3 to compile notebook cells with. */
const python = () => (spawnSync('/usr/bin/python3', ['-V']).status === 0 ? '/usr/bin/python3' : 'python3');

describe('examples against a started service', () => {
  let app: FastifyInstance;
  let server: string;
  beforeAll(async () => ({ app, url: server } = await startListening()));
  afterAll(() => app.close());

  it.each(['examples/python/frontier.ipynb', 'examples/torch/digits.ipynb'])('%s is a valid notebook whose code cells compile', (path) => {
    const notebook = JSON.parse(readFileSync(join(root, path), 'utf8')) as { nbformat: number; cells: { cell_type: string; source: string[] }[] };
    expect(notebook.nbformat).toBe(4);
    const code = notebook.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join(''));
    expect(code.length).toBeGreaterThanOrEqual(4);
    const check = spawnSync(python(), ['-c', 'import json,sys\nfor i, src in enumerate(json.load(sys.stdin)): compile(src, f"cell {i}", "exec")\nprint("compiled")'], { input: JSON.stringify(code), encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.stdout.trim()).toBe('compiled');
  });

  it('examples/ci: the shell step writes the plan, and exits 2 when the budget cannot be met', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bitplan-ci-'));
    const env = { ...process.env, BITPLAN_SERVER: server };
    const ok = await runAsync('bash', [join(root, 'examples/ci/plan-or-fail.sh'), join(root, 'examples/ci/request.json'), join(dir, 'plan.json')], { env });
    expect(ok.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).status).toBe('optimal');
    writeFileSync(join(dir, 'impossible.json'), JSON.stringify({ seed: 'resnet50-hawq-v3', budgets: [{ metric: 'sizeBytes', max: 1000 }] }));
    const failed = await runAsync('bash', [join(root, 'examples/ci/plan-or-fail.sh'), join(dir, 'impossible.json'), join(dir, 'no.json')], { env });
    expect(failed.status).toBe(2);
    expect(failed.stderr).toMatch(/the budgets cannot be met/);
  });

  it('examples/ci/github-actions.yml: triggered, starts the service in a step (no image to pull), then runs the tested script', async () => {
    const workflow = readFileSync(join(root, 'examples/ci/github-actions.yml'), 'utf8');
    expect(workflow).toMatch(/^on:\n {2}push:\n {2}pull_request:$/m);
    expect(workflow).not.toMatch(/services:|image:/);
    expect(workflow).toMatch(/node-version: 24/);
    // The start step: its script, run here against a service that is already listening.
    const start = /- name: Start bitplan\n\s+run: \|\n((?: {10}.*\n)+)/.exec(workflow)![1]!.replace(/^ {10}/gm, '');
    const waited = await runAsync('bash', ['-c', start.replace(/^npm start .*$/m, ':').replaceAll('http://localhost:8080', server)], { env: { ...process.env, RUNNER_TEMP: tmpdir() } });
    expect(waited.status).toBe(0);
    expect(workflow).toMatch(/run: examples\/ci\/plan-or-fail\.sh examples\/ci\/request\.json "\$RUNNER_TEMP\/plan\.json"/);
  });
});
