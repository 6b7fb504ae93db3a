import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemDetails } from '../../src/contract/catalog.js';
import { startApp } from '../support/app.js';

const TOKEN = 'ci-runner-token-0123456789';
const OTHER = 'notebook-token-abcdefghij';

describe('bearer tokens (API_TOKENS)', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp({ config: { API_TOKENS: [TOKEN, OTHER] } })));
  afterAll(() => app.close());

  it('answers 401 problem+json with WWW-Authenticate without a known token, and serves it with one', async () => {
    const none = await http.get('/v1/seeds').expect(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="bitplan"');
    expect(ProblemDetails.parse(none.body)).toMatchObject({ type: '/problems/unauthorized', detail: expect.stringMatching(/requires Authorization: Bearer/) });
    const wrong = await http.get('/v1/seeds').set('authorization', `Bearer ${TOKEN}x`).expect(401);
    expect(wrong.body.detail).toMatch(/not one this service accepts/);
    await http.get('/v1/seeds').set('authorization', `Basic ${TOKEN}`).expect(401);
    await http.get('/v1/seeds').set('authorization', `Bearer ${TOKEN}`).expect(200);
    await http.post('/v1/plans').set('authorization', `Bearer ${OTHER}`).send({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }).expect(200);
  });

  it('leaves liveness, the documentation and the problem pages open', async () => {
    for (const path of ['/healthz', '/openapi.json', '/docs/', '/problems/unauthorized']) await http.get(path).expect(200);
  });
});

describe('the rate limit (RATE_LIMIT_PER_MINUTE)', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp({ config: { RATE_LIMIT_PER_MINUTE: 3 } })));
  afterAll(() => app.close());

  it('answers 429 problem+json with Retry-After past the limit, per client, and never limits /healthz', async () => {
    for (let i = 0; i < 3; i++) await http.get('/v1/formats').expect(200);
    const limited = await http.get('/v1/formats').expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(ProblemDetails.parse(limited.body)).toMatchObject({ type: '/problems/too-many-requests', detail: expect.stringMatching(/^more than 3 requests in a minute from this client \(RATE_LIMIT_PER_MINUTE\); retry after \d+ s$/) });
    for (let i = 0; i < 5; i++) await http.get('/healthz').expect(200);
    // Without API_TOKENS no token is verified, so a token opens no bucket of its own.
    await http.get('/v1/formats').set('authorization', `Bearer ${TOKEN}`).expect(429);
  });
});

describe('the rate limit with API_TOKENS (issue #27.1, #27.2)', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp({ config: { RATE_LIMIT_PER_MINUTE: 4, API_TOKENS: [TOKEN] } })));
  afterAll(() => app.close());

  it('counts 401s and random tokens against the address, and gives a verified token its own bucket', async () => {
    const random = () => `Bearer guess-${Math.random().toString(36).slice(2)}`;
    // Two guesses and two requests without a token: four 401s, each counted.
    await http.get('/v1/seeds').set('authorization', random()).expect(401);
    await http.get('/v1/seeds').set('authorization', random()).expect(401);
    await http.get('/v1/seeds').expect(401);
    await http.get('/openapi.json').set('authorization', random()).expect(200);
    // The fifth request from this address is limited, whatever token it carries.
    const limited = await http.get('/v1/seeds').set('authorization', random()).expect(429);
    expect(limited.body.type).toBe('/problems/too-many-requests');
    await http.get('/docs/').set('authorization', random()).expect(429);
    // A verified token is a client of its own.
    for (let i = 0; i < 4; i++) await http.get('/v1/seeds').set('authorization', `Bearer ${TOKEN}`).expect(200);
    await http.get('/v1/seeds').set('authorization', `Bearer ${TOKEN}`).expect(429);
  });
});
