import { createHash, timingSafeEqual } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { httpProblem } from './problems.js';

/** Paths anyone may read: liveness, the documentation and the problem pages carry no data. */
const PUBLIC = /^\/(healthz|openapi\.json|docs|problems)(\/|$|\?)/;

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The bearer token of a request, or undefined. */
function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer ([\x21-\x7e]+)$/.exec(header) : null;
  return match?.[1];
}

/**
 * Optional bearer tokens (API_TOKENS; compared in constant time over their SHA-256 digests, so
 * neither a token's content nor its length leaks through timing) and a per-client rate limit
 * (RATE_LIMIT_PER_MINUTE, keyed by token, else by address; /healthz exempt), both answered as
 * problem+json: 401 with WWW-Authenticate, 429 with Retry-After.
 */
export async function registerAccess(app: FastifyInstance, config: Config): Promise<void> {
  const known = config.API_TOKENS.map(digest);
  if (known.length > 0) {
    app.addHook('onRequest', async (request) => {
      if (PUBLIC.test(request.url) || request.method === 'OPTIONS') return;
      const token = bearer(request);
      if (token === undefined) throw httpProblem('BITPLAN_ERR_NO_TOKEN', []);
      const given = digest(token);
      let accepted = false;
      for (const candidate of known) accepted = timingSafeEqual(candidate, given) || accepted;
      if (!accepted) throw httpProblem('BITPLAN_ERR_BAD_TOKEN', []);
    });
  }
  if (config.RATE_LIMIT_PER_MINUTE > 0) {
    await app.register(rateLimit, {
      global: true,
      max: config.RATE_LIMIT_PER_MINUTE,
      timeWindow: 60_000,
      // A token is a client wherever it connects from; without one, the address (behind a proxy,
      // the client's, when TRUST_PROXY says which hops to believe).
      keyGenerator: (request) => {
        const token = bearer(request);
        return token ? `token:${digest(token).toString('hex')}` : `address:${request.ip}`;
      },
      allowList: (request) => request.url === '/healthz',
      errorResponseBuilder: (_request, context) => httpProblem('BITPLAN_ERR_RATE_LIMITED', [context.max, Math.ceil(context.ttl / 1000)]),
    });
  }
}
