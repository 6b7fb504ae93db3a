import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SolveResult } from '../service/task.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() when the request arrived (its first hook). */
    receivedAtMs: number;
  }
}

/** Stamps every request with its arrival time, for the Server-Timing header. */
export function stampArrival(app: FastifyInstance): void {
  app.decorateRequest('receivedAtMs', 0);
  app.addHook('onRequest', async (request) => {
    request.receivedAtMs = performance.now();
  });
}

/**
 * Sends a solver thread's answer with a Server-Timing header (shown by browsers' developer tools
 * and read by the load benchmark): what the request spent reading its body, waiting for and
 * moving to a thread, parsing and validating there (large bodies), solving and writing the answer.
 */
export function sendAnswer(reply: FastifyReply, result: SolveResult, sentToThreadAtMs: number): FastifyReply {
  const { admit, solve, render } = result.phasesMs;
  const before = sentToThreadAtMs - reply.request.receivedAtMs;
  const wait = Math.max(0, performance.now() - sentToThreadAtMs - admit - solve - render);
  const timing = [
    `receive;dur=${before.toFixed(1)};desc="read the body (and check a small one)"`,
    `wait;dur=${wait.toFixed(1)};desc="queue and transfer to a solver thread"`,
    `admit;dur=${admit.toFixed(1)};desc="parse and validate on the thread"`,
    `solve;dur=${solve.toFixed(1)}`,
    `render;dur=${render.toFixed(1)};desc="write the answer"`,
  ].join(', ');
  if (result.usage) reply.header('bitplan-usage', result.usage);
  // Header values must be visible ASCII: anything else (a layer name in another script) as '?'.
  if (result.warnings?.length) reply.header('bitplan-warning', result.warnings.map((warning) => warning.replace(/[^\x20-\x7e]/g, '?')));
  const { body } = result;
  reply.header('server-timing', timing).type(result.contentType);
  if (typeof body === 'string') return reply.send(body);
  // Bytes from a thread arrive as a plain Uint8Array: a Buffer over the same memory, no copy.
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (bytes.byteLength <= STREAMED_FROM_BYTES) return reply.send(bytes);
  // The compression plugin copies the first chunk of what it compresses into one buffer: a
  // 69 MB frontier given as one Buffer held the event loop 70 ms for that copy. As a stream of
  // slices (no copy) it copies 256 KiB. A socket that takes every write at once (a fast reader on
  // the loopback) would otherwise be written whole within one turn of the loop (45-60 ms): the
  // slices yield to the loop between them. The length is known, so plain answers keep
  // Content-Length (the plugin drops it when it compresses).
  reply.header('content-length', bytes.byteLength);
  return reply.send(Readable.from(slices(bytes), { objectMode: false }));
}

/** Answers larger than this are sent as a stream of slices of their bytes. */
const STREAMED_FROM_BYTES = 1024 * 1024;
const SLICE_BYTES = 256 * 1024;

async function* slices(bytes: Buffer): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.byteLength; offset += SLICE_BYTES) {
    if (offset > 0) await new Promise((resolve) => setImmediate(resolve));
    yield bytes.subarray(offset, offset + SLICE_BYTES);
  }
}
