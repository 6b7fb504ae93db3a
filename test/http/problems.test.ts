import { XMLValidator } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemDetails } from '../../src/contract/catalog.js';
import { CORE_ERRORS } from '../../src/core/index.js';
import { buildOpenApiDocument } from '../../src/http/openapi.js';
import { EDGE_KINDS, HTTP_ERRORS, PROBLEM_KINDS, PROBLEM_OF_CODE, type ProblemKind } from '../../src/http/problems.js';
import { ROUTES } from '../../src/http/routes/index.js';
import { SERVICE_ERRORS } from '../../src/service/errors.js';
import { startApp } from '../support/app.js';

type Operation = { responses: Record<string, { content?: Record<string, { examples?: Record<string, { value: { type: string; status: number } }>; example?: unknown }>; headers?: object }> };
const document = buildOpenApiDocument(ROUTES) as unknown as { paths: Record<string, Record<string, Operation>> };
const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));

describe('the problem catalogue, its pages and the OpenAPI document agree', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  it('maps every core, service and HTTP error code to a problem kind with a page', async () => {
    const kinds = new Set<ProblemKind>([...Object.values(PROBLEM_OF_CODE), ...Object.values(HTTP_ERRORS).map((e) => e.kind)]);
    expect(Object.keys(PROBLEM_OF_CODE).sort()).toEqual([...Object.keys(CORE_ERRORS), ...Object.keys(SERVICE_ERRORS)].sort());
    expect([...kinds].sort()).toEqual(Object.keys(PROBLEM_KINDS).sort());
    for (const kind of kinds) {
      const page = await http.get(`/problems/${kind}`).expect(200);
      expect(page.body).toMatchObject({ type: `/problems/${kind}`, status: PROBLEM_KINDS[kind].status, title: PROBLEM_KINDS[kind].title });
    }
    const unknown = await http.get('/problems/no-such-kind').expect(404);
    expect(unknown.body.detail).toMatch(/no problem type "no-such-kind"; known: invalid-request, /);
  });

  it('documents every error status of every operation with one example per kind, of the body the service sends', () => {
    const documented = new Set<string>();
    for (const { path, method, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status === '200') continue;
        const examples = response.content!['application/problem+json']!.examples!;
        for (const [kind, example] of Object.entries(examples)) {
          documented.add(kind);
          expect(example.value.type, `${method} ${path} ${status}`).toBe(`/problems/${kind}`);
          expect(example.value.status).toBe(Number(status));
          expect(ProblemDetails.safeParse(example.value).success).toBe(true);
        }
      }
      expect(operation.responses['500'], `${method} ${path}`).toBeDefined();
    }
    // 405 and the edge kinds (a slow body, oversized headers, a missing token, a rate limit) can meet any path before routing.
    const everyKindButRouting = Object.keys(PROBLEM_KINDS).filter((kind) => kind !== 'method-not-allowed' && !EDGE_KINDS.includes(kind as ProblemKind));
    expect([...documented].sort()).toEqual(everyKindButRouting.sort());
  });

  it('documents 503 with Retry-After and 406 on the solving routes, /problems/{slug}, and a real SVG', () => {
    for (const path of ['/v1/plans', '/v1/frontiers']) {
      const responses = document.paths[path]!.post!.responses;
      expect(responses['503']!.headers).toHaveProperty('Retry-After');
      expect(responses['406']).toBeDefined();
      expect(responses['413']).toBeDefined();
    }
    expect(document.paths['/problems/{slug}']!.get).toBeDefined();
    const svg = document.paths['/v1/frontiers']!.post!.responses['200']!.content!['image/svg+xml']!.example as string;
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toMatch(/^<svg [^>]*>[\s\S]*<polyline class="frontier"[\s\S]*<\/svg>\n$/);
  });

  it('answers another method on a known path with 405 and Allow', async () => {
    const plans = await http.get('/v1/plans').expect(405);
    expect(plans.headers.allow).toBe('POST');
    expect(plans.body.type).toBe('/problems/method-not-allowed');
    const seed = await http.delete('/v1/seeds/resnet18-hawq-v3').expect(405);
    expect(seed.headers.allow).toBe('GET, HEAD');
  });

  it('negotiates Accept the same way on plans and frontiers: 406 for a representation neither has', async () => {
    const body = { seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] };
    const svgPlan = await http.post('/v1/plans').set('accept', 'image/svg+xml').send(body).expect(406);
    expect(svgPlan.body.detail).toBe('Accept: image/svg+xml matches none of application/json, text/csv');
    const csvPlan = await http.post('/v1/plans').set('accept', 'text/csv').send(body).expect(200);
    expect(csvPlan.headers['content-type']).toMatch(/^text\/csv/);
    const xmlFrontier = await http.post('/v1/frontiers').set('accept', 'application/xml').send({ ...body, budgets: [], axis: 'sizeBytes' }).expect(406);
    expect(xmlFrontier.body.type).toBe('/problems/not-acceptable');
    const badFormat = await http.post('/v1/plans?format=onnx').send(body).expect(400);
    expect(badFormat.body.errors[0].path).toBe('format');
  });
});

describe("the router's own refusals (issue #27.5)", () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp({ config: { API_TOKENS: ['ci-runner-token-0123456789'] } })));
  afterAll(() => app.close());

  const token = { authorization: 'Bearer ci-runner-token-0123456789' };
  const problemWithHeaders = (answer: { headers: Record<string, string>; body: unknown }) => {
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['x-request-id']).toBeTruthy();
    return ProblemDetails.parse(answer.body);
  };

  it('answers a malformed percent-encoding 400 at (url) and an over-long path parameter 414, as problem+json with the security headers', async () => {
    const badEncoding = await http.get('/v1/seeds/%ff%fe').set(token).expect(400);
    expect(problemWithHeaders(badEncoding).type).toBe('/problems/invalid-request');
    expect(badEncoding.body.errors[0]).toMatchObject({ path: '(url)', message: expect.stringMatching(/not valid percent-encoding/) });
    const longName = await http.get(`/v1/seeds/${'x'.repeat(150)}`).set(token).expect(414);
    expect(problemWithHeaders(longName)).toMatchObject({ type: '/problems/uri-too-long', detail: expect.stringMatching(/longer than the 100 characters/) });
  });

  it('checks the token before the router refuses a protected path', async () => {
    for (const path of ['/v1/seeds/%ff%fe', `/v1/seeds/${'x'.repeat(150)}`]) {
      const answer = await http.get(path).expect(401);
      expect(problemWithHeaders(answer).type).toBe('/problems/unauthorized');
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
      await http.get(path).set({ authorization: 'Bearer not-one-of-the-api-tokens' }).expect(401);
    }
  });

  it('answers a path that leaves the documentation 403, not a 400 on the body', async () => {
    const answer = await http.get('/docs/static/%2e%2e/%2e%2e/package.json').expect(403);
    expect(problemWithHeaders(answer)).toMatchObject({ type: '/problems/forbidden', detail: expect.stringMatching(/leaves the documentation's files/) });
  });
});
