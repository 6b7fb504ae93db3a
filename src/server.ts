import { readConfig } from './config.js';
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

/** After the grace period, the answers to abandoned solves (503) get this long to be written before the process exits anyway. */
const ANSWER_MS = 2_000;

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    const graceMs = config.SHUTDOWN_GRACE_MS;
    app.log.info({ signal, graceMs }, `shutting down: finishing in-flight requests for up to ${graceMs} ms`);
    // Orchestrators kill at their own deadline: solves still running at ours are answered 503
    // (retry elsewhere), and a process that still has not closed exits regardless.
    setTimeout(() => {
      const { running, waiting } = runner.load();
      if (running + waiting > 0) app.log.warn({ running, waiting }, 'shutdown grace period over: answering the remaining solves 503');
      runner.abandon();
      setTimeout(() => process.exit(1), ANSWER_MS).unref();
    }, graceMs).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
