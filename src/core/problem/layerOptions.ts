import type { HardwareProfile } from '../hardware/profile.js';
import type { Layer, ModelDescriptor } from '../model/model.js';
import { layerCosts, type LayerCosts } from '../costs/layerCosts.js';
import { COST_METRICS } from '../costs/metric.js';
import { computePlan, type ComputePlan } from '../hardware/computeFormat.js';
import type { FieldIssue } from '../errors.js';
import { type Candidate, parseCandidate } from '../formats/candidate.js';
import { scoreCandidate, type Score } from '../sensitivity/score.js';

/** One candidate a layer may take, with its score and costs. */
export interface LayerOption {
  candidate: Candidate;
  score: Score;
  costs: LayerCosts;
  /** What the candidate computes in on the request's hardware (undefined without hardware). */
  compute?: ComputePlan;
}

export interface OptionContext {
  /** The request's candidates (or the hardware's defaults), canonical ids; undefined = each layer's own. */
  requested: string[] | undefined;
  hardware?: HardwareProfile;
  batchSize: number;
  allowEmulated: boolean;
  /** Path of the model in the request, prefixed to layer paths in issues. */
  modelPath: string;
}

export interface PlannableLayer {
  layer: Layer;
  /** The candidates this layer may take; a pinned layer has exactly one. */
  options: LayerOption[];
  pinned: boolean;
}

export interface LayerOptionsResult {
  layers: PlannableLayer[];
  warnings: string[];
}

/**
 * The options of every layer: its own candidates intersected with the request's (or the
 * hardware's defaults), a pin overriding both, each scored and costed. Unscorable options of
 * unpinned layers are issues; a pinned layer without evidence scores 0 (it is a constant).
 */
export function layerOptions(model: ModelDescriptor, context: OptionContext, issues: FieldIssue[]): LayerOptionsResult {
  const { requested, hardware } = context;
  const totalParams = model.layers.reduce((sum, layer) => sum + layer.params, 0);
  const latencyFrom = model.layers.some((layer) => layer.latencyMs !== undefined) ? 'table' : 'roofline';
  const costContext = { totalParams, batchSize: context.batchSize, hardware, latencyFrom } as const;
  const warnings: string[] = [];
  const unrunnable = new Map<string, string[]>();
  // Each estimate once, with the layers it applies to.
  const estimated = new Map<string, string[]>();
  const noteEstimates = (layerName: string, score: Score) => {
    for (const estimate of score.estimates ?? []) {
      const layers = estimated.get(estimate) ?? [];
      if (layers.at(-1) !== layerName) layers.push(layerName);
      estimated.set(estimate, layers);
    }
  };
  const emulated = new Map<string, string>();
  // Compute plans depend on the candidate only: one lookup per distinct candidate.
  const plans = new Map<string, ComputePlan | undefined>();
  const planFor = (candidate: Candidate) => {
    if (!hardware) return undefined;
    if (!plans.has(candidate.id)) plans.set(candidate.id, computePlan(hardware, candidate));
    return plans.get(candidate.id);
  };
  const option = (layer: Layer, candidate: Candidate, score: Score): LayerOption | undefined => {
    const compute = planFor(candidate);
    if (hardware && (!compute || (!compute.native && !context.allowEmulated))) {
      const layers = unrunnable.get(candidate.id) ?? [];
      layers.push(layer.name);
      unrunnable.set(candidate.id, layers);
      return undefined;
    }
    if (compute && !compute.native) emulated.set(candidate.id, compute.format.id);
    return { candidate, score, costs: layerCosts(layer, candidate, compute, costContext), compute };
  };

  // Evidence and costs are summed over layers: a value that is not finite would make every total NaN.
  const finite = (made: LayerOption | undefined, path: string): LayerOption | undefined => {
    if (!made) return undefined;
    if (!Number.isFinite(made.score.value)) {
      issues.push({ path: `${path}.sensitivity`, message: `the sensitivity at ${made.candidate.id} is ${made.score.value}, too large to add up; scale the evidence down` });
      return undefined;
    }
    for (const metric of COST_METRICS) {
      const value = made.costs[metric];
      if (value === undefined || Number.isFinite(value)) continue;
      issues.push({ path, message: `${metric} at ${made.candidate.id} is ${value}: params, macs, activationElements or the hardware figures are too large to cost` });
      return undefined;
    }
    return made;
  };

  const layers = model.layers.map((layer, index): PlannableLayer => {
    const path = `${context.modelPath}.layers[${index}]`;
    if (layer.pin !== undefined) {
      const candidate = parseCandidate(layer.pin)!;
      const scored = scoreCandidate(layer, candidate);
      const score: Score = typeof scored === 'string' ? { value: 0, source: 'none (pinned)' } : scored;
      if (typeof scored !== 'string') noteEstimates(layer.name, scored);
      const pinned = finite(option(layer, candidate, score), path);
      return { layer, pinned: true, options: pinned ? [pinned] : [] };
    }
    const allowed = allowedCandidates(layer.candidates, requested);
    if (allowed === undefined) {
      issues.push({ path: `${path}.candidates`, message: `layer "${layer.name}" lists no candidates and the request names none (give candidates, a hardware profile, or a pin)` });
      return { layer, pinned: false, options: [] };
    }
    if (allowed.length === 0) {
      issues.push({
        path: `${path}.candidates`,
        message: `layer "${layer.name}" allows ${layer.candidates!.join(', ')}, none of which the request allows (${requested!.join(', ')})`,
      });
      return { layer, pinned: false, options: [] };
    }
    const options: LayerOption[] = [];
    for (const id of allowed) {
      const candidate = parseCandidate(id)!;
      const scored = scoreCandidate(layer, candidate);
      if (typeof scored === 'string') {
        issues.push({ path: `${path}.sensitivity`, message: `layer "${layer.name}" ${scored} (candidate ${candidate.id})` });
        continue;
      }
      noteEstimates(layer.name, scored);
      const made = finite(option(layer, candidate, scored), path);
      if (made) options.push(made);
    }
    return { layer, pinned: false, options };
  });
  for (const [candidate, names] of unrunnable) {
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more layers` : '');
    const runs = [...hardware!.nativeFormats, ...(hardware!.anyMinifloat ? ['any minifloat eXmY'] : [])].join(', ');
    const how = planFor(parseCandidate(candidate)!) ? 'set allowEmulated to cost it emulated' : 'no native format of this chip holds both operands';
    const at = requested?.includes(candidate)
      ? `candidates[${requested.indexOf(candidate)}]`
      : `${context.modelPath}.layers[${model.layers.findIndex((l) => l.name === names[0])}]`;
    issues.push({
      path: at,
      message: `candidate ${candidate} (layer ${shown}) does not run natively on ${hardware!.id}, which runs ${runs}; choose candidates among those, or ${how}`,
    });
  }
  for (const [estimate, names] of estimated) {
    const shown = names.length === 1 ? `layer ${names[0]}` : `${names.length} layers (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''})`;
    warnings.push(`${estimate}: ${shown}`);
  }
  for (const [candidate, format] of emulated) {
    warnings.push(`candidate ${candidate} is not native on ${hardware!.id}: costed as emulated in ${format}`);
  }
  return { layers, warnings };
}

function allowedCandidates(own: string[] | undefined, requested: string[] | undefined): string[] | undefined {
  if (own && requested) return own.filter((id) => requested.includes(id));
  return own ?? requested;
}
