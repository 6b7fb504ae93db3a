// A solver worker: runs plans and frontiers off the service's event loop.
import { parentPort } from 'node:worker_threads';
import { loadSeedStore } from '../service/seedStore.js';
import { toWire, type ResultMessage, type TaskMessage } from './messages.js';
import { runTask } from '../service/task.js';

const seeds = loadSeedStore();
parentPort!.on('message', ({ id, task }: TaskMessage) => {
  let message: ResultMessage;
  try {
    message = { id, ok: true, result: runTask(task, seeds) };
  } catch (error) {
    message = { id, ok: false, error: toWire(error) };
  }
  parentPort!.postMessage(message);
});
