import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Config } from '../../config.js';
import type { TaskRunner } from '../../service/runner.js';
import type { SeedStore } from '../../service/seedStore.js';
import { httpProblem, invalidRequest, type ProblemKind } from '../problems.js';
import { fieldIssues } from '../../service/validation/zodIssues.js';

/** What handlers work with. */
export interface RouteContext {
  seeds: SeedStore;
  runner: TaskRunner;
  config: Config;
  /** The OpenAPI document, built once from the routes' declarations. */
  openApiDocument: object;
}

/** A successful answer's media type: its schema (a zod schema, or JSON Schema for text) and an example. */
export interface MediaSpec {
  schema: z.ZodType | Record<string, unknown>;
  example?: unknown;
}

/**
 * One route, declared: its path, what it takes (path parameters, query, body) and every answer
 * it gives (the 200's media types, each problem kind). src/http/app.ts registers the handler
 * from it and src/http/openapi.ts writes the OpenAPI operation from it, so the two cannot differ.
 */
export interface RouteSpec {
  method: 'GET' | 'POST';
  /** Fastify syntax: /v1/hardware/:id. */
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: 'plans' | 'catalog' | 'service';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; examples: Record<string, { summary: string; value: unknown }> };
  ok: { description: string; content: Record<string, MediaSpec> };
  /** Problem kinds this route answers with (besides the edge's own 405 and 500). */
  problems: ProblemKind[];
  handler: (context: RouteContext) => (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Registers every route, and for each path a 405 (with Allow) for the methods it does not take. */
export function registerRoutes(app: FastifyInstance, routes: readonly RouteSpec[], context: RouteContext): void {
  const methodsOf = new Map<string, string[]>();
  for (const route of routes) {
    app.route({ method: route.method, url: route.url, handler: route.handler(context) });
    methodsOf.set(route.url, [...(methodsOf.get(route.url) ?? []), route.method]);
  }
  for (const [url, methods] of methodsOf) {
    const others = OTHER_METHODS.filter((method) => !methods.includes(method));
    const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])].join(', ');
    app.route({
      method: [...others],
      url,
      handler: async (request, reply) => {
        reply.header('allow', allow);
        throw httpProblem('BITPLAN_ERR_METHOD_NOT_ALLOWED', [request.method, request.url.split('?')[0]!, url, allow]);
      },
    });
  }
}

/** A route's query or path parameters, validated by its declared schema (400 naming each). */
export function parseParameters<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidRequest(fieldIssues(result.error.issues, '', schema, input));
  return result.data;
}
