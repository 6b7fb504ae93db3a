/**
 * A /healthz poller in its own process: polling from the benchmark's process (or a thread of it)
 * would measure that process's own stalls (encoding 64 MiB, autocannon's bookkeeping, CPU shared
 * with the load generator's event loop) rather than the service's. The child polls every
 * `everyMs` over one keep-alive connection and prints its latencies when told to stop.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const POLLER = `
const url = process.argv[1], everyMs = Number(process.argv[2]);
const latencies = [];
let running = true;
process.stdin.on('data', () => { running = false; });
(async () => {
  // One request to open the connection and warm the client before the measurement starts.
  await fetch(url + '/healthz').catch(() => undefined);
  process.stdout.write('ready\\n');
  while (running) {
    const t = performance.now();
    try { await (await fetch(url + '/healthz')).arrayBuffer(); latencies.push(performance.now() - t); } catch { latencies.push(Infinity); }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  process.stdout.write(JSON.stringify(latencies) + '\\n');
  process.exit(0);
})();
`;

export interface HealthPoller {
  /** Stops polling; the latencies in milliseconds (Infinity for a failed request). */
  stop(): Promise<number[]>;
}

/** Starts polling `url`/healthz from a child process; resolves once its first request has been answered. */
export async function startHealthPoller(url: string, everyMs = 20): Promise<HealthPoller> {
  const child = spawn(process.execPath, ['-e', POLLER, url, String(everyMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (output += chunk));
  while (!output.includes('ready\n')) await once(child.stdout, 'data');
  return {
    async stop() {
      const exited = once(child, 'exit');
      child.stdin.end('stop\n');
      await exited;
      return JSON.parse(output.slice(output.indexOf('ready\n') + 6)) as number[];
    },
  };
}

/** The q-quantile (0..1) of `values`. */
export const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? Number.NaN;

/** "p50 x / p95 y / max z ms" of /healthz latencies. */
export const healthSummary = (latencies: number[]) => `healthz p50 ${quantile(latencies, 0.5).toFixed(1)} / p95 ${quantile(latencies, 0.95).toFixed(1)} / max ${Math.max(...latencies).toFixed(1)} ms (${latencies.length} polls)`;
