import type { Config } from '../../config.js';
import { Layer, LayerGroup } from '../../contract/model.js';
import type { Budget } from '../../contract/request.js';
import type { BulkField } from './boundedParse.js';
import { IssueSink } from './issueSink.js';
import { isPlainValidLayer } from './plainLayer.js';
import type { JsonBodyLimits } from './jsonBytes.js';

export type Limits = Pick<Config, 'MAX_LAYERS' | 'MAX_CANDIDATES_PER_LAYER' | 'MAX_BUDGETS' | 'MAX_FRONTIER_POINTS'>;

/**
 * Objects and arrays, and values, a body may hold per layer before it is parsed: a layer with
 * every kind of evidence, latency table and alias for 64 candidates holds about 10 and 450.
 */
const CONTAINERS_PER_LAYER = 16;
const VALUES_PER_LAYER = 512;
/** Room for everything beside the layers (hardware profile, budgets, candidates). */
const ENVELOPE_ALLOWANCE = 65_536;

/** What a plan or frontier body may hold before parsing (scanJson). */
export function jsonBodyLimits(limits: Limits): JsonBodyLimits {
  return {
    maxArrayLength: limits.MAX_LAYERS,
    arrayLimitName: 'MAX_LAYERS',
    maxContainers: limits.MAX_LAYERS * CONTAINERS_PER_LAYER + ENVELOPE_ALLOWANCE,
    maxValues: limits.MAX_LAYERS * VALUES_PER_LAYER + ENVELOPE_ALLOWANCE,
  };
}

/** The long arrays of a plan or frontier request: its layers (413 beyond MAX_LAYERS) and tie groups. */
export function modelBulkFields(limits: Limits): BulkField[] {
  return [
    { path: ['model', 'layers'], element: Layer, acceptsUnchanged: isPlainValidLayer, maxLength: limits.MAX_LAYERS, tooLong: 'payload-too-large', limitName: 'MAX_LAYERS' },
    { path: ['model', 'groups'], element: LayerGroup, maxLength: limits.MAX_LAYERS, tooLong: 'invalid', limitName: 'MAX_LAYERS' },
  ];
}

/** The configured limits on candidates, budgets and frontier points (README, Configuration): a 400 naming each. */
export function checkLimits(
  body: { model?: { layers: { candidates?: string[] }[] }; candidates?: string[]; budgets: Budget[]; points?: number },
  limits: Limits,
): void {
  const sink = new IssueSink();
  if ((body.candidates?.length ?? 0) > limits.MAX_CANDIDATES_PER_LAYER) {
    sink.add({ path: 'candidates', message: `${body.candidates!.length} candidates; at most MAX_CANDIDATES_PER_LAYER=${limits.MAX_CANDIDATES_PER_LAYER}` });
  }
  (body.model?.layers ?? []).forEach((layer, i) => {
    if ((layer.candidates?.length ?? 0) > limits.MAX_CANDIDATES_PER_LAYER) {
      sink.add({ path: `model.layers[${i}].candidates`, message: `${layer.candidates!.length} candidates; at most MAX_CANDIDATES_PER_LAYER=${limits.MAX_CANDIDATES_PER_LAYER}` });
    }
  });
  if (body.budgets.length > limits.MAX_BUDGETS) {
    sink.add({ path: 'budgets', message: `${body.budgets.length} budgets; at most MAX_BUDGETS=${limits.MAX_BUDGETS}` });
  }
  if (body.points !== undefined && body.points > limits.MAX_FRONTIER_POINTS) {
    sink.add({ path: 'points', message: `${body.points} points; at most MAX_FRONTIER_POINTS=${limits.MAX_FRONTIER_POINTS}` });
  }
  sink.throwIfAny();
}
