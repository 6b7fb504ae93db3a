import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemDetails } from '../../src/contract/catalog.js';
import { startListening } from '../support/app.js';

/** Writes `bytes` on a raw connection and returns everything the server sends until it closes (or `waitMs`). */
function exchange(url: string, bytes: string, waitMs: number): Promise<{ text: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let text = '';
    const done = () => resolve({ text, closedAfterMs: performance.now() - started });
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', done);
    socket.on('error', () => undefined);
    setTimeout(() => socket.destroy(), waitMs);
  });
}

const problemOf = (text: string) => ProblemDetails.parse(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)));

describe('slow, oversized and malformed connections', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => ({ app, url } = await startListening({ config: { REQUEST_TIMEOUT_MS: 1000, HEADERS_TIMEOUT_MS: 1000 } })));
  afterAll(() => app.close());

  it('cuts a body that trickles in with 408 problem+json and closes the connection', async () => {
    const { text, closedAfterMs } = await exchange(url, 'POST /v1/plans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"seed":', 10_000);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toMatch(/content-type: application\/problem\+json/i);
    const problem = problemOf(text);
    expect(problem.type).toBe('/problems/request-timeout');
    expect(problem.detail).toMatch(/REQUEST_TIMEOUT_MS=1000/);
    expect(closedAfterMs).toBeLessThan(5000);
  });

  it('answers oversized headers and bytes that are not HTTP with problem+json', async () => {
    const big = await exchange(url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 5000);
    expect(big.text).toMatch(/^HTTP\/1\.1 431 /);
    expect(problemOf(big.text).type).toBe('/problems/header-fields-too-large');
    const garbage = await exchange(url, 'NOT HTTP AT ALL\r\n\r\n', 5000);
    expect(garbage.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(problemOf(garbage.text).detail).toMatch(/not a well-formed HTTP\/1\.1 request/);
  });

  it('still answers a prompt request afterwards', async () => {
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
  });
});
