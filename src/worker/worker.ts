// A solver worker: runs plans and frontiers off the service's event loop.
import { parentPort, workerData, type Transferable } from 'node:worker_threads';
import { loadSeedStore } from '../service/seedStore.js';
import { lowerThisThreadsPriority } from './priority.js';
import { resultMessage, toWire, type ResultMessage, type StartedMessage, type TaskMessage, type WarmedMessage } from './messages.js';
import { warmUp, type WarmUpTurn } from './warmUp.js';
import { runTask } from '../service/task.js';

const data = workerData as { nice?: number; warmUp?: WarmUpTurn } | null;
lowerThisThreadsPriority(data?.nice ?? 0);
const seeds = loadSeedStore();
// Requests that arrive meanwhile wait in the port's queue: it starts with the listener below.
if (data?.warmUp) parentPort!.postMessage({ warmed: true, ...warmUp(seeds, data.warmUp) } satisfies WarmedMessage);
parentPort!.on('message', ({ id, task }: TaskMessage) => {
  parentPort!.postMessage({ id, started: true } satisfies StartedMessage);
  let posted: { message: ResultMessage; transfer: Transferable[] };
  try {
    posted = resultMessage(id, runTask(task, seeds));
  } catch (error) {
    posted = { message: { id, ok: false, error: toWire(error) }, transfer: [] };
  }
  parentPort!.postMessage(posted.message, posted.transfer);
});
