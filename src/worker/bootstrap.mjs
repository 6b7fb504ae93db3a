// Development entry of a solver worker: registers tsx so the worker can load TypeScript sources
// (a worker does not inherit the --import hooks of its parent on Node 20). The compiled build
// starts dist/src/worker/worker.js directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
