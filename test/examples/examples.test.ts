import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListening } from '../support/app.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pythonDir = join(root, 'examples', 'python');

/** A Python 3 that has `requests` (Debian's python3-requests, which .ci/run installs, or any other). */
function pythonWithRequests(): string {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(candidate, ['-c', 'import requests'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  throw new Error('no python3 with the requests module: install Debian\'s python3-requests (.ci/run does)');
}

/** Runs a command without blocking the event loop (the service under test lives in this process). */
function runAsync(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

describe('client examples against a started service', () => {
  let app: FastifyInstance;
  let server: string;
  beforeAll(async () => ({ app, url: server } = await startListening()));
  afterAll(() => app.close());

  it('examples/python: the client plans, draws a frontier, applies a point and raises problems', async () => {
    const run = await runAsync(pythonWithRequests(), ['check_client.py', '--server', server], { cwd: pythonDir });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('ok');
    expect(run.status).toBe(0);
  });

  it('examples/python: the client CLI exits 2 on an infeasible budget', async () => {
    const python = pythonWithRequests();
    const ok = await runAsync(python, ['bitplan_client.py', '--server', server, '--seed', 'resnet18-hawq-v3', '--budget', 'sizeBytes:0.5'], { cwd: pythonDir });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/"status": "optimal"/);
    const infeasible = await runAsync(python, ['bitplan_client.py', '--server', server, '--seed', 'resnet18-hawq-v3', '--budget', 'sizeBytes<=1000'], { cwd: pythonDir });
    expect(infeasible.status).toBe(2);
    expect(infeasible.stderr).toMatch(/422 Infeasible/);
  });

  it('examples/python/frontier.ipynb is a valid notebook whose code cells compile', () => {
    const notebook = JSON.parse(readFileSync(join(pythonDir, 'frontier.ipynb'), 'utf8')) as { nbformat: number; cells: { cell_type: string; source: string[] }[] };
    expect(notebook.nbformat).toBe(4);
    const code = notebook.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join(''));
    expect(code.length).toBeGreaterThanOrEqual(4);
    const check = spawnSync(pythonWithRequests(), ['-c', 'import json,sys\nfor i, src in enumerate(json.load(sys.stdin)): compile(src, f"cell {i}", "exec")\nprint("compiled")'], { input: JSON.stringify(code), encoding: 'utf8' });
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
});
