import { readConfig, SHUTDOWN_ANSWER_MS } from './config.js';
import { build } from './http/app.js';
import { loadSeedStore } from './service/seedStore.js';
import { SolverPool } from './worker/pool.js';

let config;
try {
  config = readConfig(process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const runner = SolverPool.fromConfig(config);
const app = await build({ runner, seeds: loadSeedStore(), logger: { level: config.LOG_LEVEL }, config });
await app.listen({ port: config.PORT, host: config.HOST });
if (config.SOLVER_WARM_UP) {
  const started = performance.now();
  void runner.whenReady().then(() => {
    const failed = runner.warmUps.filter((warmUp) => warmUp.error);
    if (failed.length > 0) app.log.warn({ error: failed[0]!.error, threads: failed.length }, 'solver threads started cold: their start-up plans failed (SOLVER_WARM_UP)');
    app.log.info({ ms: Math.round(performance.now() - started), threads: runner.warmUps.length }, 'solver threads warm: GET /readyz answers 200');
  });
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    const timeoutMs = config.SHUTDOWN_TIMEOUT_MS;
    app.log.info({ signal, timeoutMs }, `shutting down: finishing in-flight requests for up to ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS)`);
    // Orchestrators kill at their own deadline: solves still running at ours are answered 503
    // (retry elsewhere), and a process that still has not closed exits regardless.
    setTimeout(() => {
      const { running, waiting } = runner.load();
      if (running + waiting > 0) app.log.warn({ running, waiting }, 'SHUTDOWN_TIMEOUT_MS is over: answering the remaining solves 503');
      runner.abandon();
      setTimeout(() => process.exit(1), SHUTDOWN_ANSWER_MS).unref();
    }, timeoutMs).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
