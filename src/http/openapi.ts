import { z } from 'zod';
import { contractRegistry } from '../contract/doc.js';
// Importing the contract registers every component schema.
import '../contract/catalog.js';
import '../contract/frontier.js';
import '../contract/hardware.js';
import '../contract/plan.js';
import '../contract/request.js';
import { PROBLEM_KINDS, RETRY_AFTER_SECONDS, problemBody, type ProblemKind } from './problems.js';
import type { MediaSpec, RouteSpec } from './routes/route.js';
import { SERVICE_VERSION } from './version.js';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** A schema as OpenAPI: a $ref for a named contract component, else its JSON Schema inline. */
function schemaOf(schema: MediaSpec['schema']): Record<string, unknown> {
  if (!(schema instanceof z.ZodType)) return schema;
  const id = contractRegistry.get(schema)?.id;
  if (id) return ref(id);
  const { $schema: _s, ...inline } = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return inline;
}

function componentSchemas(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(contractRegistry, {
    target: 'openapi-3.0',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _s, $id: _i, ...rest } = schema;
      return [id, rest];
    }),
  );
}

/** Path and query parameters from a route's zod objects, with their descriptions and examples. */
function parameters(where: 'path' | 'query', schema: z.ZodObject | undefined) {
  return Object.entries(schema?.shape ?? {}).map(([name, field]) => {
    const meta = contractRegistry.get(field as z.ZodType) ?? {};
    return {
      name,
      in: where,
      required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
      description: meta.description,
      schema: schemaOf(field as z.ZodType),
      ...(meta.example === undefined ? {} : { example: meta.example }),
    };
  });
}

/** The error answers of a route, by status: every problem kind it can send, each an example of the real body. */
function problemResponses(route: RouteSpec) {
  const kinds: ProblemKind[] = [...route.problems, 'internal'];
  const byStatus = new Map<number, ProblemKind[]>();
  for (const kind of kinds) byStatus.set(PROBLEM_KINDS[kind].status, [...(byStatus.get(PROBLEM_KINDS[kind].status) ?? []), kind]);
  const path = route.url.replace(/:(\w+)/g, '{$1}');
  return Object.fromEntries(
    [...byStatus.entries()].map(([status, same]) => [
      String(status),
      {
        description: same.map((kind) => `${PROBLEM_KINDS[kind].title}: ${PROBLEM_KINDS[kind].about}`).join(' '),
        ...(status === 503 ? { headers: { 'Retry-After': { description: `Seconds to wait before retrying (${RETRY_AFTER_SECONDS}).`, schema: { type: 'integer', example: RETRY_AFTER_SECONDS } } } } : {}),
        content: {
          'application/problem+json': {
            schema: ref('ProblemDetails'),
            examples: Object.fromEntries(same.map((kind) => [kind, { summary: PROBLEM_KINDS[kind].title, value: problemBody(kind, PROBLEM_KINDS[kind].example, path, 'req-1') }])),
          },
        },
      },
    ]),
  );
}

function operation(route: RouteSpec) {
  const params = [...parameters('path', route.params), ...parameters('query', route.query)];
  return {
    tags: [route.tag],
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body.schema), examples: route.body.examples } } } } : {}),
    responses: {
      '200': {
        description: route.ok.description,
        content: Object.fromEntries(
          Object.entries(route.ok.content).map(([type, media]) => [type, { schema: schemaOf(media.schema), ...(media.example !== undefined ? { example: media.example } : {}) }]),
        ),
      },
      ...problemResponses(route),
    },
  };
}

/** The OpenAPI 3.0 document, generated from the routes' declarations and the contract's zod schemas. */
export function buildOpenApiDocument(routes: readonly RouteSpec[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'bitplan',
      version: SERVICE_VERSION,
      description:
        'Mixed-precision bit-allocation planner. Send a model\'s layers with sensitivity scores and budgets; get the optimal format for every layer (the integer program of HAWQ-V3 and Hubara et al.), verified against every budget. Try POST /v1/plans with the example "resnet18-size-half". Errors are RFC 9457 problems whose `type` (/problems/<slug>) GET /problems/{slug} explains.',
    },
    tags: [
      { name: 'plans', description: 'Solve for the optimal format per layer.' },
      { name: 'catalog', description: 'Formats, hardware profiles and seed models.' },
      { name: 'service', description: 'Health, the API document and the problem types.' },
    ],
    paths,
    components: { schemas: componentSchemas() },
  };
}
