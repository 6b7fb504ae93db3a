// A solver worker: runs plans and frontiers off the service's event loop.
import { parentPort, workerData, type Transferable } from 'node:worker_threads';
import { loadSeedStore } from '../service/seedStore.js';
import { lowerThisThreadsPriority } from './priority.js';
import { resultMessage, toWire, type ResultMessage, type StartedMessage, type TaskMessage } from './messages.js';
import { runTask } from '../service/task.js';

lowerThisThreadsPriority((workerData as { nice?: number } | null)?.nice ?? 0);
const seeds = loadSeedStore();
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
