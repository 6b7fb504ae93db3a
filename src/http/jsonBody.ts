import type { FastifyInstance } from 'fastify';
import { INLINE_JSON_BYTES, type JsonBytes } from '../service/intake.js';
import { JsonScan, parseJsonBytes } from '../service/validation/jsonBytes.js';
import { jsonBodyLimits, type Limits } from '../service/validation/limits.js';
import { httpProblem, invalidRequest } from './problems.js';

/**
 * JSON bodies: scanned as they arrive (see scanJson), up to INLINE_JSON_BYTES parsed here, larger ones
 * kept as bytes for a solver thread to parse, so that no body holds the event loop for long.
 * A compressed body (Content-Encoding other than identity) is refused with 415 before it is read.
 */
export function registerJsonBody(app: FastifyInstance, limits: Limits & { BODY_LIMIT_BYTES: number }): void {
  app.addHook('onRequest', async (request) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      throw httpProblem('BITPLAN_ERR_CONTENT_ENCODING', [encoding.slice(0, 40)]);
    }
  });
  app.removeContentTypeParser(['application/json', 'text/plain']);
  const bodyLimits = jsonBodyLimits(limits);
  app.addContentTypeParser('application/json', (request, payload, done) => {
    collectBody(payload, Number(request.headers['content-length']), limits.BODY_LIMIT_BYTES, new JsonScan(bodyLimits)).then((body) => {
      if (body.json.length > INLINE_JSON_BYTES) return done(null, body);
      try {
        done(null, parseJsonBytes(body.json, bodyLimits, body.scanned));
      } catch (error) {
        done(error as Error, undefined);
      }
    }, (error: Error) => done(error, undefined));
  });
}

/**
 * Reads a body into one buffer allocated for it (of Content-Length, else grown by doubling),
 * copying each chunk as it arrives: a single Buffer.concat of a large body at the end would hold
 * the event loop for tens of milliseconds. The buffer belongs to this body alone, so it can move
 * to a solver thread. Each chunk is scanned as it arrives (a fraction of a millisecond each), so
 * a body that cannot be a model is refused before it is whole, and none is scanned again later.
 * Mirrors Fastify's own reader: 413 beyond the limit, 400 when the length differs from
 * Content-Length.
 */
function collectBody(payload: NodeJS.ReadableStream, contentLength: number, limit: number, scan: JsonScan): Promise<JsonBytes> {
  const tooLarge = () => httpProblem('BITPLAN_ERR_BODY_TOO_LARGE', [limit]);
  if (contentLength > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    let buffer = new Uint8Array(Number.isNaN(contentLength) ? 64 * 1024 : contentLength);
    let received = 0;
    const stop = (error?: Error) => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onEnd);
      if (error) reject(error);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (received + bytes.length > limit) return stop(tooLarge());
      if (received + bytes.length > buffer.length) {
        if (!Number.isNaN(contentLength)) return stop(invalidRequest([{ path: '(body)', message: 'the body is longer than its Content-Length' }]));
        const grown = new Uint8Array(Math.min(limit, Math.max(buffer.length * 2, received + bytes.length)));
        grown.set(buffer.subarray(0, received));
        buffer = grown;
      }
      buffer.set(bytes, received);
      received += bytes.length;
      try {
        scan.feed(buffer, received);
      } catch (error) {
        stop(error as Error);
      }
    };
    const onEnd = (error?: Error) => {
      stop(error && Object.assign(error, { statusCode: 400 }));
      if (error) return;
      if (!Number.isNaN(contentLength) && received !== contentLength) return reject(invalidRequest([{ path: '(body)', message: 'the body is shorter than its Content-Length' }]));
      resolve({ json: buffer.subarray(0, received), ownsBuffer: true, scanned: scan.finish() });
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onEnd);
    payload.resume();
  });
}
