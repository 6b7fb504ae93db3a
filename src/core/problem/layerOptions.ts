import type { HardwareProfile } from '../hardware/profile.js';
import type { Layer, ModelDescriptor } from '../model/model.js';
import { layerCosts, type LayerCosts } from '../costs/layerCosts.js';
import type { CostMetric } from '../costs/metric.js';
import { computePlan, type ComputePlan } from '../hardware/computeFormat.js';
import type { FieldIssue } from '../errors.js';
import { namedLayers } from '../namedLayers.js';
import { type Candidate, parseCandidate } from '../formats/candidate.js';
import { soundEvidence, type EvidencePolicy } from '../sensitivity/evidence.js';
import { restsOnWeightStatsAlone, scoreCandidate, type Score } from '../sensitivity/score.js';
import type { TargetAdmission } from '../targets/admission.js';

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
  /** Where `requested` came from, named in the warning when it leaves out a layer's own candidates. */
  requestedFrom?: string;
  hardware?: HardwareProfile;
  batchSize: number;
  allowEmulated: boolean;
  /** Path of the model in the request, prefixed to layer paths in issues. */
  modelPath: string;
  /** The model's precision: the activation format of weight-only candidates. */
  precision: string;
  /** How measured evidence is treated (sensitivity/evidence.ts). */
  evidence: EvidencePolicy;
  /** The runtime target's filter: candidates it cannot run are left out (targets/admission.ts). */
  admission?: TargetAdmission;
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
  /** Which of the layers' own candidates the request left out, when it left any: also a warning, and said again in a 422. */
  leftOut?: string;
  /**
   * Layers whose every candidate scores within 2 standard errors of 0: what they take rests on
   * noise. Warned by the plan or frontier, which can say what they were given.
   */
  zeroEvidence: string[];
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
  const noteEstimates = (layerName: string, estimates: readonly string[] | undefined) => {
    if (!estimates) return;
    for (const estimate of estimates) {
      const layers = estimated.get(estimate) ?? [];
      if (layers.at(-1) !== layerName) layers.push(layerName);
      estimated.set(estimate, layers);
    }
  };
  const emulated = new Map<string, string>();
  // The layers' own candidates that the request's list does not include, with their layers.
  const leftOut = new Map<string, string[]>();
  // Compute plans depend on the candidate only: one lookup per distinct candidate.
  const plans = new Map<string, ComputePlan | undefined>();
  const planFor = (candidate: Candidate) => {
    if (!hardware) return undefined;
    if (!plans.has(candidate.id)) plans.set(candidate.id, computePlan(hardware, candidate));
    return plans.get(candidate.id);
  };
  // What an option costs depends on its candidate and a few numbers of its layer: layers of one
  // shape (an MoE's experts, a transformer's repeated blocks) share one costs object per
  // candidate, frozen since it is shared. Not for pinned layers (a missing cost of theirs is set
  // to 0 later), measured latency tables, or the fields only some layers give.
  const sharedCosts = new Map<number, Map<number | undefined, Map<Candidate, LayerCosts>>>();
  const sharedCostsOf = (layer: Layer): Map<Candidate, LayerCosts> | undefined => {
    if (latencyFrom === 'table' || layer.pin !== undefined || layer.activationElements !== undefined || layer.macUnits !== undefined || layer.dotProductLength !== undefined) return undefined;
    let byMacs = sharedCosts.get(layer.params);
    if (!byMacs) sharedCosts.set(layer.params, (byMacs = new Map()));
    let byCandidate = byMacs.get(layer.macs);
    if (!byCandidate) byMacs.set(layer.macs, (byCandidate = new Map()));
    return byCandidate;
  };
  // A layer's path, written only for an issue (45,000 layers; no string or closure per layer).
  const layerPath = (index: number) => `${context.modelPath}.layers[${index}]`;
  // Evidence and costs are summed over layers: a value that is not finite would make every total
  // NaN, so such an option is an issue. Shared costs are checked once, when they are made.
  const option = (layer: Layer, index: number, candidate: Candidate, score: Score, shared?: Map<Candidate, LayerCosts>): LayerOption | undefined => {
    const compute = planFor(candidate);
    if (hardware && (!compute || (!compute.native && !context.allowEmulated))) {
      const layers = unrunnable.get(candidate.id) ?? [];
      layers.push(layer.name);
      unrunnable.set(candidate.id, layers);
      return undefined;
    }
    if (compute && !compute.native) emulated.set(candidate.id, compute.format.id);
    if (!Number.isFinite(score.value)) {
      issues.push({ path: `${layerPath(index)}.sensitivity`, message: `the sensitivity at ${candidate.id} is ${score.value}, too large to add up; scale the evidence down` });
      return undefined;
    }
    let costs = shared?.get(candidate);
    if (!costs) {
      costs = layerCosts(layer, candidate, compute, costContext);
      // The metrics the option has (for-in: a fast read of each, where a loop over every metric name is a slow lookup per name).
      for (const metric in costs) {
        const value = costs[metric as CostMetric];
        if (value === undefined || Number.isFinite(value)) continue;
        issues.push({ path: layerPath(index), message: `${metric} at ${candidate.id} is ${value}: params, macs, activationElements or the hardware figures are too large to cost` });
        return undefined;
      }
      if (shared) shared.set(candidate, Object.freeze(costs));
    }
    return { candidate, score, costs, compute };
  };

  // Layer-level findings about the evidence, each warned once with the layers it concerns.
  const indistinguishable: string[] = [];
  const irregular: string[] = [];
  const kinds = { lossDelta: 0, hessian: 0 };
  const weightStatsAlone = restsOnWeightStatsAlone(model);
  const parse = (id: string) => parseCandidate(id, context.precision);
  // What a layer's own list allows, what of it the request leaves out, and the allowed candidates
  // parsed: worked out once for each list, as layers that repeat a list share it (the service
  // makes repeats one array) and every layer of a large model repeats it.
  let lastList: { own: string[] | undefined; allowed: string[] | undefined; missing: string[]; parsed: Candidate[] } | undefined;
  const listFor = (own: string[] | undefined) => {
    if (!lastList || lastList.own !== own) {
      const allowed = allowedCandidates(own, requested);
      const missing = own && requested ? own.filter((id) => !requested.includes(id)) : [];
      lastList = { own, allowed, missing, parsed: (allowed ?? []).map((id) => parse(id)!) };
    }
    return lastList;
  };
  // A layer tied to others that carry evidence (a shared weight used twice) may carry none of its
  // own: it takes the group's candidate, and the group's evidence scores the choice.
  const tiedToEvidence = new Set<string>();
  if (model.groups?.length) {
    const evidenced = new Set(model.layers.filter((layer) => layer.sensitivity).map((layer) => layer.name));
    for (const group of model.groups) if (group.some((name) => evidenced.has(name))) for (const name of group) tiedToEvidence.add(name);
  }

  const layers = model.layers.map((given, index): PlannableLayer => {
    // The evidence made sound first (sensitivity/evidence.ts): traces in one unit, negative
    // estimates within their error taken as 0, loss changes projected, robust z added.
    let layer = given;
    if (given.sensitivity) {
      const sound = soundEvidence(given.sensitivity, given.params, context.evidence, parse);
      if (typeof sound === 'string') {
        if (given.pin === undefined) {
          issues.push({ path: `${layerPath(index)}.sensitivity`, message: `layer "${given.name}" ${sound}` });
          return { layer: given, pinned: false, options: [] };
        }
      } else {
        if (sound.sensitivity !== given.sensitivity) layer = { ...given, sensitivity: sound.sensitivity };
        noteEstimates(given.name, sound.notes);
        if (sound.irregularLossDelta && context.evidence.lossDelta === 'raw') irregular.push(given.name);
      }
    }
    if (layer.pin !== undefined) {
      const candidate = parseCandidate(layer.pin, context.precision)!;
      const refused = context.admission?.pinRefused(layer, candidate);
      if (refused) {
        issues.push({ path: `${layerPath(index)}.pin`, message: refused });
        return { layer, pinned: true, options: [] };
      }
      const scored = scoreCandidate(layer, candidate, weightStatsAlone);
      const score: Score = typeof scored === 'string' ? { value: 0, source: 'none (pinned)' } : scored;
      if (typeof scored !== 'string') noteEstimates(layer.name, scored.estimates);
      const pinned = option(layer, index, candidate, score);
      return { layer, pinned: true, options: pinned ? [pinned] : [] };
    }
    const { allowed, missing, parsed } = listFor(layer.candidates);
    for (const id of missing) {
      const names = leftOut.get(id) ?? [];
      names.push(layer.name);
      leftOut.set(id, names);
    }
    if (allowed === undefined) {
      issues.push({ path: `${layerPath(index)}.candidates`, message: 'the layer lists no candidates and the request names none: give candidates, a hardware profile, or a pin' });
      return { layer, pinned: false, options: [] };
    }
    if (allowed.length === 0) {
      issues.push({
        path: `${layerPath(index)}.candidates`,
        message: `the layer allows ${layer.candidates!.join(', ')}, none of which the request allows (${requested!.join(', ')})`,
      });
      return { layer, pinned: false, options: [] };
    }
    let runnable: readonly Candidate[] = parsed;
    if (context.admission) {
      const { kept, refused } = context.admission.filter(layer, parsed);
      if (kept.length === 0) {
        issues.push({ path: `${layerPath(index)}.candidates`, message: context.admission.noneLeft(refused) });
        return { layer, pinned: false, options: [] };
      }
      runnable = kept;
    }
    const options: LayerOption[] = [];
    const shared = sharedCostsOf(layer);
    for (let j = 0; j < runnable.length; j++) {
      const candidate = runnable[j]!;
      const scored: Score | string = !layer.sensitivity && tiedToEvidence.has(layer.name) ? { value: 0, source: 'none (tied)' } : scoreCandidate(layer, candidate, weightStatsAlone);
      if (typeof scored === 'string') {
        issues.push({ path: `${layerPath(index)}.sensitivity`, message: `layer "${layer.name}" ${scored} (candidate ${candidate.id})` });
        continue;
      }
      noteEstimates(layer.name, scored.estimates);
      const made = option(layer, index, candidate, scored, shared);
      if (made) options.push(made);
    }
    if (options.length > 0 && layer.sensitivity) {
      kinds[options[0]!.score.source === 'lossDelta' ? 'lossDelta' : 'hessian']++;
      if (isIndistinguishableFromZero(layer, options)) indistinguishable.push(layer.name);
    }
    return { layer, pinned: false, options };
  });
  const named = (names: string[]) => `${names.length} layer${names.length === 1 ? '' : 's'} (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''})`;
  if (irregular.length > 0) {
    warnings.push(`measured loss changes grow with precision or lie below 0 on ${named(irregular)}, kept raw as evidence.lossDelta asks: the plan takes them at face value and may choose a format on noise`);
  }
  if (weightStatsAlone) {
    const activations = new Set(layers.flatMap((planned) => planned.options.map((made) => made.candidate.activation.id)));
    const unscored = activations.size > 1 ? `; activation formats (${[...activations].join(', ')}) change no score, so the budgets alone choose them` : '';
    warnings.push(
      `no layer carries a loss-side measurement (lossDelta, hessianTrace or hessianEigenvalue): the plan minimizes the summed relative weight error ||Q(W)-W||^2/||W||^2 estimated from weightStats, every layer counted as equally sensitive to it (the linearity theorem, https://arxiv.org/abs/2411.17525, with one alpha for all layers), so its sensitivity ranks plans but predicts no loss change${unscored}; measure noise sensitivities or loss deltas (bitplan.torch) for a plan that knows which layers matter`,
    );
  }
  if (kinds.lossDelta > 0 && kinds.hessian > 0) {
    warnings.push(`evidence of two kinds is summed: ${kinds.lossDelta} layers are scored by measured loss changes (lossDelta), ${kinds.hessian} by Hessian x perturbation; their units differ, so give every layer the same kind`);
  }
  for (const [candidate, names] of unrunnable) {
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more layers` : '');
    const runs = [...hardware!.nativeFormats, ...(hardware!.anyMinifloat ? ['any minifloat eXmY'] : [])].join(', ');
    const how = planFor(parseCandidate(candidate, context.precision)!) ? 'set allowEmulated to cost it emulated' : 'no native format of this chip holds both operands';
    const at = requested?.includes(candidate)
      ? `candidates[${requested.indexOf(candidate)}]`
      : `${context.modelPath}.layers[${model.layers.findIndex((l) => l.name === names[0])}]`;
    issues.push({
      path: at,
      message: `candidate ${candidate} (layer ${shown}) does not run natively on ${hardware!.id}, which runs ${runs}; choose candidates among those, or ${how}`,
    });
  }
  for (const [estimate, names] of estimated) {
    warnings.push(`${estimate}: ${namedLayers(names)}`);
  }
  if (context.admission) warnings.push(...context.admission.warnings());
  for (const [candidate, format] of emulated) {
    warnings.push(`candidate ${candidate} is not native on ${hardware!.id}: costed as emulated in ${format}`);
  }
  let leftOutNote: string | undefined;
  if (leftOut.size > 0) {
    const what = [...leftOut].map(([id, names]) => `${id} (${names.length === 1 ? `layer ${names[0]}` : `${names.length} layers`})`).join(', ');
    leftOutNote = `candidates the model's layers allow were left out because ${context.requestedFrom ?? 'the request\'s candidates'} (${requested!.join(', ')}) do not include them: ${what}; name them in candidates to plan with them${context.hardware ? ' (with allowEmulated where the chip does not run them natively)' : ''}`;
    warnings.push(leftOutNote);
  }
  return { layers, warnings, ...(leftOutNote ? { leftOut: leftOutNote } : {}), zeroEvidence: indistinguishable };
}

function allowedCandidates(own: string[] | undefined, requested: string[] | undefined): string[] | undefined {
  if (own && requested) return own.filter((id) => requested.includes(id));
  return own ?? requested;
}

/** Standard errors within which a score counts as indistinguishable from zero. */
const ZERO_EVIDENCE_SE = 2;

/**
 * Every option scores 0, or within ZERO_EVIDENCE_SE standard errors of it (the trace's error
 * times the perturbation, or each measured loss change's own error).
 */
function isIndistinguishableFromZero(layer: Layer, options: LayerOption[]): boolean {
  const sensitivity = layer.sensitivity;
  return options.every((option) => {
    const value = Math.abs(option.score.value);
    if (value === 0) return true;
    if (option.score.source === 'lossDelta') {
      const se = sensitivity?.lossDeltaStdErr?.[option.candidate.id];
      return se !== undefined && value <= ZERO_EVIDENCE_SE * se;
    }
    const trace = sensitivity?.hessianTrace;
    const se = sensitivity?.hessianTraceStdErr;
    return trace !== undefined && se !== undefined && Math.abs(trace) <= ZERO_EVIDENCE_SE * se;
  });
}
