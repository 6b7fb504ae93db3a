import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src/http/openapi.js';
import { ROUTES } from '../../src/http/routes/index.js';
import { SERVICE_VERSION } from '../../src/http/version.js';
import { startApp } from '../support/app.js';

const committed = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'));

type Schema = Record<string, unknown>;

/** Every property of every component schema, with its path, descending through arrays, unions and records. */
function properties(schema: Schema, path: string, out: { path: string; schema: Schema }[] = []) {
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  for (const [name, prop] of Object.entries(props)) {
    out.push({ path: `${path}.${name}`, schema: prop });
    properties(prop, `${path}.${name}`, out);
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    const inner = schema[key];
    if (inner && typeof inner === 'object') properties(inner as Schema, `${path}.${key}`, out);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    ((schema[key] ?? []) as Schema[]).forEach((inner, i) => properties(inner, `${path}.${key}[${i}]`, out));
  }
  return out;
}

describe('OpenAPI document', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  it('is current: openapi/openapi.json equals the document generated from the zod schemas (npm run openapi regenerates it)', () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(ROUTES))));
  });

  it('is a valid OpenAPI 3 document', async () => {
    const api = (await SwaggerParser.validate(structuredClone(committed))) as unknown as { openapi: string; info: { version: string } };
    expect(api.openapi).toBe('3.0.3');
    expect(api.info.version).toBe(SERVICE_VERSION);
  });

  it('gives every field of every schema a description and an example', () => {
    const schemas = committed.components.schemas as Record<string, Schema>;
    const undocumented: string[] = [];
    for (const [id, schema] of Object.entries(schemas)) {
      if (!schema.description || schema.example === undefined) undocumented.push(id);
      for (const { path, schema: prop } of properties(schema, id)) {
        const isReference = prop.$ref !== undefined || (Array.isArray(prop.allOf) && prop.allOf.length === 1);
        const documented = isReference || (prop.description !== undefined && prop.example !== undefined);
        if (!documented) undocumented.push(path);
      }
    }
    expect(undocumented).toEqual([]);
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['PlanRequest', 'Plan', 'ModelDescriptor', 'ProblemDetails', 'HardwareProfile']));
  });

  it('is served at /openapi.json and the Swagger UI at /docs', async () => {
    const served = await http.get('/openapi.json').expect(200);
    expect(served.body).toEqual(committed);
    const ui = await http.get('/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
    const init = await http.get('/docs/static/swagger-initializer.js').expect(200);
    // The top bar loads and names /openapi.json, and shows the service's mark, not the plugin's.
    expect(init.text).toContain('"urls":[{"url":"/openapi.json","name":"/openapi.json"}]');
    const logo = /img\.src = 'data:image\/svg\+xml;base64,([^']+)'/.exec(init.text)![1]!;
    expect(Buffer.from(logo, 'base64').toString()).toMatch(/>bitplan<\/text>/);
    const uiDocument = await http.get('/docs/json').expect(200);
    expect(uiDocument.body.paths['/v1/plans']).toBeDefined();
  });

  it('shows image/svg+xml answers as pictures in the Swagger UI (a preview script on the page)', async () => {
    const page = await http.get('/docs/').expect(200);
    expect(page.text).toContain('./static/theme/svg-preview.js');
    const script = await http.get('/docs/static/theme/svg-preview.js').expect(200);
    expect(script.text).toContain('bitplan-svg-preview');
    expect(script.text).toContain("data:image/svg+xml");
  });

  it("answers each operation's first example as Swagger UI sends it: the JSON answer, and SVG when that response type is picked (issue #28.1)", async () => {
    type Parameter = { name: string; in: string; example?: unknown; schema: { example?: unknown; default?: unknown } };
    type Operation = { parameters?: Parameter[]; requestBody?: { content: Record<string, { examples: Record<string, { value: unknown }> }> }; responses: Record<string, { content?: Record<string, unknown> }> };
    /** What Swagger UI puts in the query from the document alone: each parameter's example or default. */
    const filledQuery = (operation: Operation) =>
      Object.fromEntries((operation.parameters ?? []).filter((p) => p.in === 'query').flatMap((p) => {
        const value = p.example ?? p.schema.example ?? p.schema.default;
        return value === undefined ? [] : [[p.name, String(value)]];
      }));
    for (const [path, kind] of [['/v1/plans', 'plan'], ['/v1/frontiers', 'frontier']] as const) {
      const operation = committed.paths[path].post as Operation;
      const query = filledQuery(operation);
      expect(query).toEqual({});
      const [exampleName, example] = Object.entries(operation.requestBody!.content['application/json']!.examples)[0]!;
      // Swagger UI's response type starts at the first one the 200 lists.
      const accept = Object.keys(operation.responses['200']!.content!)[0]!;
      expect(accept).toBe('application/json');
      const answer = await http.post(path).query(query).set('accept', accept).send(example.value as object);
      expect(answer.status, `${path} example ${exampleName}`).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      if (kind === 'plan') expect(answer.body.status).toBe('optimal');
      else expect(answer.body.points.length).toBeGreaterThan(1);
    }
    // The README's frontier walkthrough: the first example with image/svg+xml picked.
    const frontiers = committed.paths['/v1/frontiers'].post as Operation;
    const first = Object.values(frontiers.requestBody!.content['application/json']!.examples)[0]!.value as object;
    const chart = await http.post('/v1/frontiers').query(filledQuery(frontiers)).set('accept', 'image/svg+xml').send(first).expect(200);
    expect(chart.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('shows one definition: the top bar hides the menu that lists it', async () => {
    const page = await http.get('/docs/').expect(200);
    expect(page.text).toContain('./static/theme/one-definition.css');
    const css = await http.get('/docs/static/theme/one-definition.css').expect(200);
    expect(css.text).toContain('.download-url-wrapper { display: none; }');
  });

  it('matches package.json version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.version).toBe(SERVICE_VERSION);
  });
});
