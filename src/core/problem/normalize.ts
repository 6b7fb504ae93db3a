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
  // Layers share their candidate list when the request repeats it (the service makes repeats one
  // array): the last list's canonical form is kept and reused for the same array.
  const lastList: CanonicalList = { given: undefined, canonical: undefined };
  return { ...model, layers: model.layers.map((layer, index) => normalizeLayer(layer, index, issues, precision, lastList)) };
}

/** A candidate list as given and its canonical form. */
interface CanonicalList {
  given: string[] | undefined;
  canonical: string[] | undefined;
}

/** The map with candidate keys in canonical form: the map itself when they all are (no copy for large models). */
function canonicalKeys<T>(map: Record<string, T> | undefined, index: number, field: string, issues: FieldIssue[], precision: string): Record<string, T> | undefined {
  if (!map) return undefined;
  let canonical = true;
  for (const key in map) {
    if (parseCandidate(key, precision)?.id !== key) {
      canonical = false;
      break;
    }
  }
  if (canonical) return map;
  const out: Record<string, T> = {};
  for (const key of Object.keys(map)) {
    const candidate = parseCandidate(key, precision);
    if (!candidate) {
      issues.push({ path: `${layerPath(index, field)}["${key}"]`, message: `unknown candidate "${key}"; expected ${CANDIDATE_HINT}` });
    } else if (candidate.id in out) {
      issues.push({ path: `${layerPath(index, field)}["${key}"]`, message: `"${key}" names candidate ${candidate.id} a second time` });
    } else {
      out[candidate.id] = map[key]!;
    }
  }
  return out;
}

function checkFormatKeys(map: Record<string, number> | undefined, index: number, field: string, issues: FieldIssue[]): void {
  for (const key in map) {
    if (!findFormat(key)) issues.push({ path: `${layerPath(index, field)}["${key}"]`, message: `unknown format "${key}"; expected ${FORMAT_ID_HINT}` });
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

/** A field's path, written only for an issue (45,000 layers, a handful of fields each). */
function layerPath(index: number, field: string): string {
  return `layers[${index}].${field}`;
}

/** Whether every id is canonical and listed once: then the list itself is the canonical list. */
function isCanonicalList(ids: string[], precision: string): boolean {
  for (let k = 0; k < ids.length; k++) {
    if (parseCandidate(ids[k]!, precision)?.id !== ids[k]) return false;
    for (let j = 0; j < k; j++) if (ids[j] === ids[k]) return false;
  }
  return true;
}

function normalizeLayer(layer: Layer, index: number, issues: FieldIssue[], precision: string, lastList: CanonicalList): Layer {
  let candidates = layer.candidates;
  if (candidates && candidates === lastList.given) {
    candidates = lastList.canonical;
  } else if (candidates) {
    const given = candidates;
    const issuesBefore = issues.length;
    candidates = isCanonicalList(given, precision) ? given : canonicalCandidates(given, layerPath(index, 'candidates'), issues, precision);
    // A list with unknown ids is checked again at every layer that gives it, for its issues' paths.
    if (issues.length === issuesBefore) {
      lastList.given = given;
      lastList.canonical = candidates;
    }
  }
  let pin: string | undefined;
  if (layer.pin !== undefined) {
    const parsed = parseCandidate(layer.pin, precision);
    if (!parsed) {
      issues.push({ path: layerPath(index, 'pin'), message: `unknown candidate "${layer.pin}"; expected ${CANDIDATE_HINT}` });
    } else if (candidates && !candidates.includes(parsed.id)) {
      issues.push({ path: layerPath(index, 'pin'), message: `pin ${parsed.id} is not one of the layer's candidates (${candidates.join(', ')})` });
    } else {
      pin = parsed.id;
    }
  }
  const lossDelta = layer.sensitivity && canonicalKeys(layer.sensitivity.lossDelta, index, 'sensitivity.lossDelta', issues, precision);
  const sensitivity = layer.sensitivity && lossDelta !== layer.sensitivity.lossDelta ? { ...layer.sensitivity, lossDelta } : layer.sensitivity;
  checkFormatKeys(layer.sensitivity?.perturbation, index, 'sensitivity.perturbation', issues);
  checkFormatKeys(layer.sensitivity?.activationPerturbation, index, 'sensitivity.activationPerturbation', issues);
  const stats = layer.sensitivity?.weightStats;
  if (stats?.granularity === 'per-channel' && stats.channels === undefined) {
    issues.push({ path: layerPath(index, 'sensitivity.weightStats.channels'), message: 'per-channel scales need the number of output channels (channels)' });
  }
  const latencyMs = canonicalKeys(layer.latencyMs, index, 'latencyMs', issues, precision);
  // Large models are mostly canonical already: the layer itself, unless something changed (a
  // list that is not canonical as given comes back as a new, different one).
  if (candidates === layer.candidates && pin === layer.pin && sensitivity === layer.sensitivity && latencyMs === layer.latencyMs) return layer;
  return { ...layer, candidates, pin, sensitivity, latencyMs };
}
