import type { FastifyReply } from 'fastify';

/**
 * A signal that aborts when the client closes its connection before the answer is written, so
 * that its queued or running solve is dropped (src/worker/pool.ts) instead of holding a thread
 * for nobody.
 */
function clientGoneSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** Runs `work`; if the client went away meanwhile, nothing is answered (there is no one to answer). */
export async function unlessClientGone<T>(reply: FastifyReply, work: (signal: AbortSignal) => Promise<T>, answer: (result: T) => FastifyReply): Promise<FastifyReply> {
  const signal = clientGoneSignal(reply);
  try {
    const result = await work(signal);
    if (!signal.aborted) return answer(result);
  } catch (error) {
    if (!signal.aborted) throw error;
  }
  reply.hijack();
  return reply;
}
