import { FormatList, Seed, SeedList } from '../../contract/catalog.js';
import { HardwareList, HardwareProfile } from '../../contract/hardware.js';
import { HardwareIdParams, SeedNameParams } from '../../contract/parameters.js';
import { TargetList } from '../../contract/target.js';
import { BUILT_IN_FORMATS, BUILT_IN_HARDWARE, effectiveBits, findHardware, RUNTIME_TARGETS } from '../../core/index.js';
import { unknownHardware, unknownSeed } from '../../service/resolve.js';
import type { SolveResult } from '../../service/task.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendAnswer } from '../answer.js';
import { parseParameters, type RouteSpec } from './route.js';

/** Whether Accept-Encoding admits gzip (listed, or *, without q=0). */
function acceptsGzip(request: FastifyRequest): boolean {
  const header = request.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((entry) => {
    const [coding, ...parameters] = entry.trim().toLowerCase().split(';');
    const q = parameters.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q) > 0);
  });
}

/**
 * A seed written on a thread, served from that one encoding: 304 when the client holds the
 * same ETag, the gzip bytes made once when it accepts them (so no download compresses 13 MB
 * again), the JSON otherwise.
 */
function sendCacheable(request: FastifyRequest, reply: FastifyReply, result: SolveResult, started: number): FastifyReply {
  const { cacheable } = result;
  if (!cacheable) return sendAnswer(reply, result, started);
  reply.header('etag', cacheable.etag).header('vary', 'accept-encoding').header('cache-control', 'public, max-age=3600');
  const held = request.headers['if-none-match'];
  if (typeof held === 'string' && held.split(',').some((tag) => tag.trim().replace(/^W\//, '') === cacheable.etag || tag.trim() === '*')) return reply.code(304).send();
  if (!acceptsGzip(request)) return sendAnswer(reply, result, started);
  reply.header('content-encoding', 'gzip');
  return sendAnswer(reply, { ...result, body: cacheable.gzipped }, started);
}

/** Seeds up to this many layers are answered on the event loop (HAWQ-V3's ResNets: under a millisecond). */
const INLINE_SEED_LAYERS = 2_000;
/** How long a solver thread may take to write a seed before the pool's watchdog replaces it. */
const SEED_WRITE_LIMIT_MS = 30_000;

export const catalogRoutes: RouteSpec[] = [
  {
    method: 'GET',
    url: '/v1/targets',
    operationId: 'listTargets',
    tag: 'catalog',
    summary: 'Runtimes a plan can be made for',
    description: 'Each runtime a request\'s `target` names: the checkpoint formats it reads (and the ?format= that writes each), the schemes each reader executes per layer kind and chip, the row-length rule of block and group sizes, and the layers it fuses, each with the source it was read from.',
    ok: { description: 'Every runtime target.', content: { 'application/json': { schema: TargetList } } },
    problems: [],
    handler: () => async () => ({
      targets: RUNTIME_TARGETS.map(({ id, name, description, fusion, fusionNote, checkpoints }) => ({
        id,
        name,
        description,
        fusion: [...fusion],
        fusionNote,
        checkpoints: checkpoints.map(({ id: checkpoint, export: format, reader, rowRule, hint, schemes }) => ({ id: checkpoint, export: format, reader, rowRule, hint, schemes })),
      })),
    }),
  },
  {
    method: 'GET',
    url: '/v1/formats',
    operationId: 'listFormats',
    tag: 'catalog',
    summary: 'Numeric formats and their cost per element',
    ok: { description: 'Every built-in format.', content: { 'application/json': { schema: FormatList } } },
    problems: [],
    handler: () => async () => ({
      formats: BUILT_IN_FORMATS.map((format) => ({ ...format, effectiveBits: effectiveBits(format) })),
      customMinifloats: 'eXmY, e.g. e3m4: 1 sign, X exponent (1-8), Y mantissa (0-23) bits, bias 2^(X-1)-1, no Inf or NaN encodings (the OCP MX FP6/FP4 convention)',
    }),
  },
  {
    method: 'GET',
    url: '/v1/hardware',
    operationId: 'listHardware',
    tag: 'catalog',
    summary: 'Built-in hardware profiles',
    ok: { description: 'Every built-in profile.', content: { 'application/json': { schema: HardwareList } } },
    problems: [],
    handler: () => async () => ({ hardware: BUILT_IN_HARDWARE }),
  },
  {
    method: 'GET',
    url: '/v1/hardware/:id',
    operationId: 'getHardware',
    tag: 'catalog',
    summary: 'One hardware profile',
    params: HardwareIdParams,
    ok: { description: 'The profile.', content: { 'application/json': { schema: HardwareProfile } } },
    problems: ['not-found'],
    handler: () => async (request) => {
      const { id } = parseParameters(HardwareIdParams, request.params);
      const profile = findHardware(id);
      if (!profile) throw unknownHardware(id);
      return profile;
    },
  },
  {
    method: 'GET',
    url: '/v1/seeds',
    operationId: 'listSeeds',
    tag: 'catalog',
    summary: 'Built-in seed models',
    ok: { description: 'Every seed, without its layers.', content: { 'application/json': { schema: SeedList } } },
    problems: [],
    handler: ({ seeds }) => async () => ({
      seeds: seeds.names().map((name) => seeds.find(name)!).map((seed) => ({
        name: seed.name,
        description: seed.description,
        layers: seed.model.layers.length,
        params: seed.model.layers.reduce((sum, layer) => sum + layer.params, 0),
        macs: seed.model.layers.reduce((sum, layer) => sum + (layer.macs ?? 0), 0),
        provenance: seed.provenance,
      })),
    }),
  },
  {
    method: 'GET',
    url: '/v1/seeds/:name',
    operationId: 'getSeed',
    tag: 'catalog',
    summary: 'One seed model with its descriptor',
    description: 'Its `model` is a ModelDescriptor: save it and send it back as `model`, edited, to plan a variant. Seeds of more than 2,000 layers carry a strong ETag (send If-None-Match to get 304 Not Modified) and come gzip-encoded to clients that accept it.',
    params: SeedNameParams,
    ok: { description: 'The seed.', content: { 'application/json': { schema: Seed } } },
    problems: ['not-found'],
    handler: ({ seeds, runner }) => {
      // A large seed is built and written once, on a solver thread: on the event loop DeepSeek-V3's
      // 13 MB took 0.4-1.1 s a download and stalled /healthz meanwhile.
      const written = new Map<string, Promise<SolveResult>>();
      return async (request, reply) => {
        const { name } = parseParameters(SeedNameParams, request.params);
        if (!seeds.names().includes(name)) throw unknownSeed(name, seeds);
        // Counting layers would build an architecture seed here: only a built one may stay inline.
        if (seeds.isBuilt(name) && seeds.layerCount(name) <= INLINE_SEED_LAYERS) return seeds.find(name)!;
        const started = performance.now();
        let answer = written.get(name);
        if (!answer) {
          answer = runner.run({ kind: 'seed', name }, SEED_WRITE_LIMIT_MS, true);
          written.set(name, answer);
          // A failure (a busy pool's 503) is not kept: the next request tries again.
          answer.catch(() => written.delete(name));
        }
        return sendCacheable(request, reply, await answer, started);
      };
    },
  },
];
