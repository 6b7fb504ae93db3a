import { spawn, spawnSync } from 'node:child_process';

/** Runs a command without blocking the event loop (a service under test may live in this process). */
export function runAsync(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
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

/**
 * A Python 3 that imports every module named (Debian's /usr/bin/python3 with python3-torch,
 * python3-sklearn and python3-requests, which .ci/run installs, or any other on the PATH).
 */
export function pythonWith(modules: string[]): string {
  const probe = `import ${modules.join(', ')}`;
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(candidate, ['-c', probe], { encoding: 'utf8' }).status === 0) return candidate;
  }
  throw new Error(`no python3 imports ${modules.join(', ')}: install Debian's ${modules.map((m) => `python3-${m === 'sklearn' ? 'sklearn' : m}`).join(' ')} (.ci/run does)`);
}
