import type { Layer, ModelDescriptor } from '../../contract/model.js';
import { layerCosts, type LayerCosts } from '../costs/layerCosts.js';
import type { FieldIssue } from '../errors.js';
import { type Candidate, parseCandidate } from '../formats/candidate.js';
import { scoreCandidate, type Score } from '../sensitivity/score.js';

/** One candidate a layer may take, with its score and costs. */
export interface LayerOption {
  candidate: Candidate;
  score: Score;
  costs: LayerCosts;
}

export interface PlannableLayer {
  layer: Layer;
  /** The candidates this layer may take; a pinned layer has exactly one. */
  options: LayerOption[];
  pinned: boolean;
}

export interface LayerOptionsResult {
  layers: PlannableLayer[];
  totalParams: number;
  warnings: string[];
}

/**
 * The options of every layer: its own candidates intersected with the request's (or the
 * hardware's defaults), a pin overriding both, each scored and costed. Unscorable options of
 * unpinned layers are issues; a pinned layer without evidence scores 0 (it is a constant).
 */
export function layerOptions(model: ModelDescriptor, requestCandidates: string[] | undefined, issues: FieldIssue[]): LayerOptionsResult {
  const totalParams = model.layers.reduce((sum, layer) => sum + layer.params, 0);
  const warnings: string[] = [];
  const layers = model.layers.map((layer, index): PlannableLayer => {
    const path = `layers[${index}]`;
    if (layer.pin !== undefined) {
      const candidate = parseCandidate(layer.pin)!;
      const scored = scoreCandidate(layer.name, layer.sensitivity, candidate);
      const score: Score = typeof scored === 'string' ? { value: 0, source: 'none (pinned)' } : scored;
      if (typeof scored !== 'string' && scored.warning) warnings.push(scored.warning);
      return { layer, pinned: true, options: [{ candidate, score, costs: layerCosts(layer, candidate, totalParams) }] };
    }
    const allowed = allowedCandidates(layer.candidates, requestCandidates);
    if (allowed === undefined) {
      issues.push({ path: `${path}.candidates`, message: `layer "${layer.name}" lists no candidates and the request names none (give candidates, a hardware profile, or a pin)` });
      return { layer, pinned: false, options: [] };
    }
    if (allowed.length === 0) {
      issues.push({
        path: `${path}.candidates`,
        message: `layer "${layer.name}" allows ${layer.candidates!.join(', ')}, none of which the request allows (${requestCandidates!.join(', ')})`,
      });
      return { layer, pinned: false, options: [] };
    }
    const options: LayerOption[] = [];
    for (const id of allowed) {
      const candidate = parseCandidate(id)!;
      const scored = scoreCandidate(layer.name, layer.sensitivity, candidate);
      if (typeof scored === 'string') {
        issues.push({ path: `${path}.sensitivity`, message: `layer "${layer.name}" ${scored} (candidate ${candidate.id})` });
        continue;
      }
      if (scored.warning) warnings.push(scored.warning);
      options.push({ candidate, score: scored, costs: layerCosts(layer, candidate, totalParams) });
    }
    return { layer, pinned: false, options };
  });
  return { layers, totalParams, warnings };
}

function allowedCandidates(own: string[] | undefined, requested: string[] | undefined): string[] | undefined {
  if (own && requested) return own.filter((id) => requested.includes(id));
  return own ?? requested;
}
