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

  it('matches package.json version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.version).toBe(SERVICE_VERSION);
  });
});
