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
const app = await build({ runner: SolverPool.fromConfig(config), seeds: loadSeedStore(), logger: { level: config.LOG_LEVEL }, config });
await app.listen({ port: config.PORT, host: config.HOST });

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
