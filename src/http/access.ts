import { createHash, timingSafeEqual } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { httpProblem, type HttpProblem } from './problems.js';

/** Paths anyone may read: liveness, the documentation and the problem pages carry no data. */
const PUBLIC = /^\/(healthz|readyz|openapi\.json|docs|problems)(\/|$|\?)/;

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
 * (RATE_LIMIT_PER_MINUTE; /healthz exempt), both answered as problem+json: 401 with
 * WWW-Authenticate, 429 with Retry-After.
 *
 * The limit counts every request before authentication, so 401s count and token guessing is
 * throttled like anything else. Its key is the token only once the token is verified (one of
 * API_TOKENS); an absent, unknown or unverifiable token (API_TOKENS unset) counts against the
 * client's address, so sending a new random token with each request opens no new bucket.
 */
/** Who may call the protected routes: the request's token checked against API_TOKENS. */
export interface AccessCheck {
  /** The digest of the request's token when it is one of API_TOKENS, else undefined. */
  verified(request: FastifyRequest): Buffer | undefined;
  /** Why the request may not reach its route (401), or undefined when it may. */
  refusal(request: FastifyRequest): HttpProblem | undefined;
}

export function accessCheck(config: Config): AccessCheck {
  const known = config.API_TOKENS.map(digest);
  const verified = (request: FastifyRequest): Buffer | undefined => {
    const token = bearer(request);
    if (token === undefined || known.length === 0) return undefined;
    const given = digest(token);
    let accepted = false;
    for (const candidate of known) accepted = timingSafeEqual(candidate, given) || accepted;
    return accepted ? given : undefined;
  };
  const refusal = (request: FastifyRequest): HttpProblem | undefined => {
    if (known.length === 0 || PUBLIC.test(request.url) || request.method === 'OPTIONS') return undefined;
    if (bearer(request) === undefined) return httpProblem('BITPLAN_ERR_NO_TOKEN', []);
    return verified(request) ? undefined : httpProblem('BITPLAN_ERR_BAD_TOKEN', []);
  };
  return { verified, refusal };
}

export async function registerAccess(app: FastifyInstance, config: Config, access: AccessCheck): Promise<void> {
  if (config.RATE_LIMIT_PER_MINUTE > 0) {
    // Not the plugin's per-route hooks: those run after every application hook, so after the
    // token check below. One application hook, added first, runs before it on every route
    // (unknown ones and the documentation included).
    await app.register(rateLimit, {
      global: false,
      max: config.RATE_LIMIT_PER_MINUTE,
      timeWindow: 60_000,
      // A verified token is a client wherever it connects from; otherwise the address (behind
      // a proxy, the client's, when TRUST_PROXY says which hops to believe).
      keyGenerator: (request) => {
        const token = access.verified(request);
        return token ? `token:${token.toString('hex')}` : `address:${request.ip}`;
      },
      allowList: (request) => request.url === '/healthz' || request.url === '/readyz',
      errorResponseBuilder: (_request, context) => httpProblem('BITPLAN_ERR_RATE_LIMITED', [context.max, Math.ceil(context.ttl / 1000)]),
    });
    app.addHook('onRequest', app.rateLimit());
  }
  if (config.API_TOKENS.length > 0) {
    app.addHook('onRequest', async (request) => {
      const refused = access.refusal(request);
      if (refused) throw refused;
    });
  }
}
