/**
 * npm run bench:abuse: the hostile-client probes of issue #17 against a started service, loopback
 * only, each bounded in count and time. For each probe: what the service answered, how long it
 * took, /healthz latency while it ran (polled every 20 ms from its own process: median, p95, worst), and the service's
 * peak resident memory so far (VmHWM of its process). The functional rule behind each probe is
 * also checked in the test suite (test/http/); this reports what it costs.
 *
 *   npm run bench:abuse
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { healthSummary, quantile, startHealthPoller } from './healthPoller.js';
import { startService } from './service.js';

const service = await startService({ REQUEST_TIMEOUT_MS: '5000', SOLVER_THREADS: '2' });
const { url, port } = service;

const peakRssMb = () => {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${service.process.pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
};

/** Polls /healthz every 20 ms (from its own process) while `probe` runs; reports its outcome and the health latencies. */
async function measure(name: string, probe: () => Promise<string>): Promise<void> {
  const poller = await startHealthPoller(url);
  const started = performance.now();
  let outcome: string;
  try {
    outcome = await probe();
  } catch (error) {
    outcome = `client error: ${(error as Error).message}`;
  }
  const ms = performance.now() - started;
  const latencies = await poller.stop();
  console.log(`${name.padEnd(52)} ${outcome.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms   ${healthSummary(latencies)}   peak RSS ${peakRssMb().toFixed(0)} MB`);
}

const post = async (path: string, body: string | Buffer, headers: Record<string, string> = {}) => {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  const type = /"type":"([^"]+)"/.exec(text.slice(0, 300))?.[1] ?? '';
  return `${response.status} ${type}`.trim() + ` (${text.length} B)`;
};

/** Writes `bytes` slowly (one chunk every `everyMs`) on a raw socket; the status line the server answers. */
const trickle = (head: string, chunks: string[], everyMs: number) =>
  new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let answer = '';
    let n = 0;
    const timer = setInterval(() => (n < chunks.length && !socket.destroyed ? socket.write(chunks[n++]!) : undefined), everyMs);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => {
      clearInterval(timer);
      resolve(answer.split('\r\n')[0] || 'closed without an answer');
    });
    socket.on('error', () => undefined);
    setTimeout(() => socket.destroy(), 30_000);
  });

try {
  console.log(`bitplan abuse probes, node ${process.version}, ${new Date().toISOString()}; 2 solver threads, REQUEST_TIMEOUT_MS=5000`);

  const emptyLayers = (count: number) => `{"model":{"name":"m","layers":[${'{},'.repeat(count - 1)}{}]},"seed":"x"}`;
  // Encoded once, before the probe: encoding 64 MiB in this process would stall its own /healthz poller.
  const huge = Buffer.from(emptyLayers(22_369_588)); // 64 MiB, under the body limit
  const million = Buffer.from(emptyLayers(1_000_000));
  await measure('64 MiB body of 22.4M empty layers', () => post('/v1/plans', huge));
  await measure('four such bodies at once', async () => (await Promise.all([0, 1, 2, 3].map(() => post('/v1/plans', huge)))).map((o) => o.split(' ')[0]).join(', '));
  await measure('1M empty layers (3 MB)', () => post('/v1/plans', million));
  await measure('1,000 bad layers (first 1,000 issues counted)', () => post('/v1/plans', JSON.stringify({ model: { name: 'm', layers: Array.from({ length: 1000 }, (_, i) => ({ name: i % 2 ? `l${i}` : 7, params: -1 })) } })));
  await measure('macs 1e308 (a cost that overflows)', () => post('/v1/plans', JSON.stringify({ model: { name: 'm', layers: [{ name: 'a', params: 10, macs: 1e308, sensitivity: { lossDelta: { int4: 1, int8: 0 } } }] }, candidates: ['int4/int8', 'int8/int8'], budgets: [{ metric: 'bops', fraction: 0.5 }] })));
  await measure('hostile model name into ?format=hawq', () => post('/v1/plans?format=hawq', JSON.stringify({ model: { name: "m\nimport os; os.system('id') #", layers: [{ name: 'a', params: 10, sensitivity: { lossDelta: { int4: 1, int8: 0 } } }] }, candidates: ['int4/int8', 'int8/int8'] })));
  await measure('gzip-encoded body', () => post('/v1/plans', gzipSync('{"seed":"resnet18-hawq-v3"}'), { 'content-encoding': 'gzip' }));
  await measure('slow body, 1 byte every 500 ms', () => trickle('POST /v1/plans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n', Array.from({ length: 200 }, () => ' '), 500));
  await measure('32 KiB of headers', () => trickle(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(32_768)}\r\n\r\n`, [], 1000));
  await measure('wrong method', async () => `${(await fetch(`${url}/v1/plans`, { method: 'PUT' })).status}`);

  // The largest seed (DeepSeek-V3, 13 MB of JSON): four downloads at once on first use (built
  // and encoded once on a solver thread), then four from its cache, gzip and plain.
  const download = async (headers: Record<string, string>) => {
    const response = await fetch(`${url}/v1/seeds/deepseek-v3`, { headers });
    return `${response.status} ${response.headers.get('content-encoding') ?? 'identity'} ${((await response.arrayBuffer()).byteLength / 1e6).toFixed(1)} MB`;
  };
  await measure('4 x GET /v1/seeds/deepseek-v3, first use', async () => (await Promise.all([0, 1, 2, 3].map(() => download({})))).join(', ').replace(/(, [^,]+)+$/, ' x4'));
  await measure('4 x GET /v1/seeds/deepseek-v3, cached, gzip', async () => (await Promise.all([0, 1, 2, 3].map(() => download({ 'accept-encoding': 'gzip' })))).join(', ').replace(/(, [^,]+)+$/, ' x4'));
  await measure('4 x GET /v1/seeds/deepseek-v3, cached, plain', async () => (await Promise.all([0, 1, 2, 3].map(() => download({ 'accept-encoding': 'identity' })))).join(', ').replace(/(, [^,]+)+$/, ' x4'));

  // Bodies just under and just over the size parsed on the event loop (256 KiB; measured: such a
  // body parses and validates in about 2 ms there), three senders back to back for 5 s.
  const layerBody = (layers: number) => {
    const candidates = ['int2', 'int3', 'int4', 'int5', 'int6'].map((f) => `${f}/fp16`).concat('int8/int8');
    const model = { name: 'm', layers: Array.from({ length: layers }, (_, i) => ({ name: `model.layers.${i >> 3}.mlp.proj_${i & 7}.weight`, params: 4096 * 4096, macs: 4096 * 4096, sensitivity: { lossDelta: Object.fromEntries(candidates.map((c, k) => [c, Number((((i * 7919) % 1000) / 1000 / (k + 1)).toFixed(6))])) } })) };
    return Buffer.from(JSON.stringify({ model, candidates, budgets: [{ metric: 'sizeBytes', fraction: 0.4 }] }));
  };
  const bytesPerLayer = (layerBody(200).length - layerBody(100).length) / 100;
  const under = Math.floor((256 * 1024 - layerBody(0).length) / bytesPerLayer) - 5;
  for (const layers of [under, under + 60]) {
    const body = layerBody(layers);
    await measure(`3 senders of ${layers} layers (${(body.length / 1024).toFixed(0)} KiB) for 5 s`, async () => {
      const until = performance.now() + 5000;
      const statuses = new Map<string, number>();
      const times: number[] = [];
      await Promise.all([0, 1, 2].map(async () => {
        while (performance.now() < until) {
          const t = performance.now();
          const status = (await post('/v1/plans', body)).split(' ')[0]!;
          times.push(performance.now() - t);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }));
      return `${[...statuses].map(([status, n]) => `${n} x ${status}`).join(', ')}, p50 ${quantile(times, 0.5).toFixed(0)} ms`;
    });
  }

  // Two all-points frontiers of a 562-layer model (heavy), and small plans beside them.
  await measure('2 all-points frontiers + 20 small plans beside', async () => {
    const heavy = [0, 1].map(() => post('/v1/frontiers', JSON.stringify({ seed: 'llama-2-70b', hardware: 'nvidia-h100', axis: 'sizeBytes', all: true, maxPoints: 100_000, solver: { timeLimitMs: 20_000 } })));
    const smallTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await post('/v1/plans', JSON.stringify({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }));
      smallTimes.push(performance.now() - t);
    }
    const outcomes = (await Promise.all(heavy)).map((o) => o.split(' ')[0]).join(', ');
    return `small p50 ${quantile(smallTimes, 0.5).toFixed(0)} ms, max ${Math.max(...smallTimes).toFixed(0)}; heavy ${outcomes}`;
  });

  // 70 long requests whose clients give up after 1 s: the queue must empty.
  await measure('burst of 70 abandoned long solves', async () => {
    const controllers = Array.from({ length: 70 }, () => new AbortController());
    const body = JSON.stringify({ seed: 'llama-2-70b', hardware: 'nvidia-h100', axis: 'sizeBytes', points: 1000, solver: { timeLimitMs: 60_000 } });
    const sent = controllers.map((c) => fetch(`${url}/v1/frontiers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: c.signal }).then((r) => r.status, () => 'aborted'));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    controllers.forEach((c) => c.abort());
    const statuses = await Promise.all(sent);
    const started = performance.now();
    let load = '';
    while (performance.now() - started < 10_000) {
      const health = (await (await fetch(`${url}/healthz`)).json()) as { solves: { running: number; waiting: number } };
      load = `running ${health.solves.running}, waiting ${health.solves.waiting}`;
      if (health.solves.running === 0 && health.solves.waiting === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return `${statuses.filter((s) => s === 'aborted').length} aborted, ${statuses.filter((s) => s === 503).length} x 503; then ${load} after ${(performance.now() - started).toFixed(0)} ms`;
  });
} finally {
  await service.stop();
}
