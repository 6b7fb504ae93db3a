import type { Layer, ModelDescriptor } from '../model/model.js';
import { CANDIDATE_HINT, DEFAULT_MODEL_PRECISION, parseCandidate } from '../formats/candidate.js';
import { FORMAT_ID_HINT, findFormat } from '../formats/registry.js';
import type { FieldIssue } from '../errors.js';

/**
 * Checks what the schema cannot (names resolve, candidates and formats exist, pins are allowed)
 * and rewrites every candidate id to its canonical `<weight>/<activation>` form, so later steps
 * compare ids directly. Issues carry paths relative to the model (`layers[3].pin`).
 */
export function normalizeModel(model: ModelDescriptor, issues: FieldIssue[]): ModelDescriptor {
  const precision = model.precision ?? DEFAULT_MODEL_PRECISION;
  if (!findFormat(precision)) issues.push({ path: 'precision', message: `unknown format "${precision}"; expected ${FORMAT_ID_HINT}` });
  const seen = new Map<string, number>();
  model.layers.forEach((layer, index) => {
    const first = seen.get(layer.name);
    if (first !== undefined) {
      issues.push({ path: `layers[${index}].name`, message: `duplicate layer name "${layer.name}" (also layers[${first}]); names must be unique` });
    } else {
      seen.set(layer.name, index);
    }
  });
  (model.groups ?? []).forEach((group, g) =>
    group.forEach((name, k) => {
      if (!seen.has(name)) issues.push({ path: `groups[${g}][${k}]`, message: `unknown layer "${name}"; a group names layers of this model` });
    }),
  );
  return { ...model, layers: model.layers.map((layer, index) => normalizeLayer(layer, `layers[${index}]`, issues, precision)) };
}

/** The map with candidate keys in canonical form: the map itself when they all are (no copy for large models). */
function canonicalKeys<T>(map: Record<string, T> | undefined, path: string, issues: FieldIssue[], precision: string): Record<string, T> | undefined {
  if (!map) return undefined;
  const keys = Object.keys(map);
  if (keys.every((key) => parseCandidate(key, precision)?.id === key)) return map;
  const out: Record<string, T> = {};
  for (const key of keys) {
    const candidate = parseCandidate(key, precision);
    if (!candidate) {
      issues.push({ path: `${path}["${key}"]`, message: `unknown candidate "${key}"; expected ${CANDIDATE_HINT}` });
    } else if (candidate.id in out) {
      issues.push({ path: `${path}["${key}"]`, message: `"${key}" names candidate ${candidate.id} a second time` });
    } else {
      out[candidate.id] = map[key]!;
    }
  }
  return out;
}

function checkFormatKeys(map: Record<string, number> | undefined, path: string, issues: FieldIssue[]): void {
  for (const key of Object.keys(map ?? {})) {
    if (!findFormat(key)) issues.push({ path: `${path}["${key}"]`, message: `unknown format "${key}"; expected ${FORMAT_ID_HINT}` });
  }
}

/** Canonical ids of a candidate list; unknown ids become issues under `path`. */
export function canonicalCandidates(ids: string[], path: string, issues: FieldIssue[], precision: string): string[] {
  const out: string[] = [];
  ids.forEach((id, k) => {
    const candidate = parseCandidate(id, precision);
    if (!candidate) issues.push({ path: `${path}[${k}]`, message: `unknown candidate "${id}"; expected ${CANDIDATE_HINT}` });
    else if (!out.includes(candidate.id)) out.push(candidate.id);
  });
  return out;
}

function normalizeLayer(layer: Layer, path: string, issues: FieldIssue[], precision: string): Layer {
  const candidates = layer.candidates && canonicalCandidates(layer.candidates, `${path}.candidates`, issues, precision);
  let pin: string | undefined;
  if (layer.pin !== undefined) {
    const parsed = parseCandidate(layer.pin, precision);
    if (!parsed) {
      issues.push({ path: `${path}.pin`, message: `unknown candidate "${layer.pin}"; expected ${CANDIDATE_HINT}` });
    } else if (candidates && !candidates.includes(parsed.id)) {
      issues.push({ path: `${path}.pin`, message: `pin ${parsed.id} is not one of the layer's candidates (${candidates.join(', ')})` });
    } else {
      pin = parsed.id;
    }
  }
  const lossDelta = layer.sensitivity && canonicalKeys(layer.sensitivity.lossDelta, `${path}.sensitivity.lossDelta`, issues, precision);
  const sensitivity = layer.sensitivity && lossDelta !== layer.sensitivity.lossDelta ? { ...layer.sensitivity, lossDelta } : layer.sensitivity;
  checkFormatKeys(layer.sensitivity?.perturbation, `${path}.sensitivity.perturbation`, issues);
  checkFormatKeys(layer.sensitivity?.activationPerturbation, `${path}.sensitivity.activationPerturbation`, issues);
  const stats = layer.sensitivity?.weightStats;
  if (stats?.granularity === 'per-channel' && stats.channels === undefined) {
    issues.push({ path: `${path}.sensitivity.weightStats.channels`, message: 'per-channel scales need the number of output channels (channels)' });
  }
  const latencyMs = canonicalKeys(layer.latencyMs, `${path}.latencyMs`, issues, precision);
  // Large models are mostly canonical already: the layer itself, unless something changed.
  const same = candidates === layer.candidates || (candidates !== undefined && layer.candidates !== undefined && candidates.every((id, k) => id === layer.candidates![k]) && candidates.length === layer.candidates.length);
  if (same && pin === layer.pin && sensitivity === layer.sensitivity && latencyMs === layer.latencyMs) return layer;
  return { ...layer, candidates, pin, sensitivity, latencyMs };
}
