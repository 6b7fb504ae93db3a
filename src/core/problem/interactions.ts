/**
 * Measured pairwise interactions ("Augmenting Hessians with Inter-Layer Dependencies"; CLADO):
 *
 *   t_ab(c_a, c_b) = L(a at c_a and b at c_b together) - L(a alone) - L(b alone) + L(float)
 *
 * so that the loss change of a plan is modelled as the sum of its layers' sensitivities plus
 * the terms of its chosen pairs. Absent combinations count 0. Before planning each term gets the
 * robust margin (value + z x stdErr) and the request's policy for negative terms, because an
 * exact optimizer bets on every negative term it is given (on the digits CNN an int2 x int2 term
 * measured -0.68 was +0.71 in truth):
 * - keep: as measured;
 * - clip: at least 0 (a pair never helps);
 * - cap: at least -min(s_a(c_a), s_b(c_b)), so that quantizing both never costs less than
 *   quantizing either alone.
 */
import type { FieldIssue } from '../errors.js';
import { parseCandidate } from '../formats/candidate.js';
import type { ModelDescriptor } from '../model/model.js';
import type { Item } from './items.js';
import type { PlannableLayer } from './layerOptions.js';

export type NegativeInteractions = 'keep' | 'clip' | 'cap';

export interface InteractionPolicy {
  negative: NegativeInteractions;
  /** Standard errors added to every term that has one (the request's robust.z). */
  z: number;
}

export const DEFAULT_INTERACTION_POLICY: InteractionPolicy = { negative: 'cap', z: 0 };

/** The terms of two layers over their options: value[j * (options of b) + k]. */
export interface LayerPair {
  a: number;
  b: number;
  value: Float64Array;
  /** Standard error of each term (NaN where none was given). */
  stdErr: Float64Array;
}

/** The same terms over two items' candidates (a == b when the layers are tied into one item). */
export interface ItemPair {
  a: number;
  b: number;
  /** value[j * (candidates of b) + k]. */
  value: Float64Array;
}

/** The model's interactions as tables over the layers' options; issues for what cannot be read. */
export function layerPairs(model: ModelDescriptor, layers: PlannableLayer[], policy: InteractionPolicy, precision: string, issues: FieldIssue[]): LayerPair[] {
  if (!model.interactions?.length) return []; // no name index for a model without interactions
  const indexOf = new Map(layers.map((plannable, index) => [plannable.layer.name, index]));
  const seen = new Map<string, number>();
  const pairs: LayerPair[] = [];
  (model.interactions ?? []).forEach((interaction, n) => {
    const path = `interactions[${n}]`;
    const [nameA, nameB] = interaction.layers;
    const a = indexOf.get(nameA);
    const b = indexOf.get(nameB);
    if (a === undefined) issues.push({ path: `${path}.layers[0]`, message: `unknown layer "${nameA}"; an interaction names two layers of this model` });
    if (b === undefined) issues.push({ path: `${path}.layers[1]`, message: `unknown layer "${nameB}"; an interaction names two layers of this model` });
    if (a === undefined || b === undefined) return;
    if (a === b) {
      issues.push({ path: `${path}.layers`, message: `an interaction needs two different layers, not "${nameA}" twice` });
      return;
    }
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (seen.has(key)) {
      issues.push({ path: `${path}.layers`, message: `layers "${nameA}" and "${nameB}" already interact in interactions[${seen.get(key)}]; give each pair once` });
      return;
    }
    seen.set(key, n);
    const optionsA = layers[a]!.options;
    const optionsB = layers[b]!.options;
    const indexA = new Map(optionsA.map((option, j) => [option.candidate.id, j]));
    const indexB = new Map(optionsB.map((option, k) => [option.candidate.id, k]));
    const value = new Float64Array(optionsA.length * optionsB.length);
    const stdErr = new Float64Array(value.length).fill(Number.NaN);
    const cell = (text: string, at: string): number | undefined => {
      const parts = text.split('|');
      const first = parts.length === 2 ? parseCandidate(parts[0]!, precision) : undefined;
      const second = parts.length === 2 ? parseCandidate(parts[1]!, precision) : undefined;
      if (!first || !second) {
        issues.push({ path: at, message: `"${text}" is not "<candidate of ${nameA}>|<candidate of ${nameB}>" (e.g. "int4/int8|int8/int8", or "int4|int8" for weight-only candidates)` });
        return undefined;
      }
      const j = indexA.get(first.id);
      const k = indexB.get(second.id);
      // A candidate the layer does not allow in this request cannot be chosen: its term never counts.
      return j === undefined || k === undefined ? -1 : j * optionsB.length + k;
    };
    for (const [text, measured] of Object.entries(interaction.delta)) {
      const at = cell(text, `${path}.delta["${text}"]`);
      if (at !== undefined && at >= 0) value[at] = measured;
    }
    for (const [text, error] of Object.entries(interaction.stdErr ?? {})) {
      if (!(text in interaction.delta)) {
        issues.push({ path: `${path}.stdErr["${text}"]`, message: `a standard error for "${text}", which delta does not give` });
        continue;
      }
      const at = cell(text, `${path}.stdErr["${text}"]`);
      if (at !== undefined && at >= 0) stdErr[at] = error;
    }
    for (let j = 0; j < optionsA.length; j++) {
      for (let k = 0; k < optionsB.length; k++) {
        const at = j * optionsB.length + k;
        let v = value[at]! + (policy.z > 0 && Number.isFinite(stdErr[at]!) ? policy.z * stdErr[at]! : 0);
        if (policy.negative === 'clip') v = Math.max(0, v);
        else if (policy.negative === 'cap') v = Math.max(v, -Math.max(0, Math.min(optionsA[j]!.score.value, optionsB[k]!.score.value)));
        value[at] = v;
      }
    }
    pairs.push({ a, b, value, stdErr });
  });
  return pairs;
}

/** The layer pairs over item candidates: a tied item's candidate j is each member's option choices[j]. */
export function itemPairs(items: Item[], pairs: LayerPair[], layers: PlannableLayer[]): ItemPair[] {
  const itemOf = new Int32Array(layers.length).fill(-1);
  const memberOf = new Int32Array(layers.length);
  items.forEach((item, i) => item.members.forEach((layer, position) => ((itemOf[layer] = i), (memberOf[layer] = position))));
  const out: ItemPair[] = [];
  for (const pair of pairs) {
    const a = itemOf[pair.a]!;
    const b = itemOf[pair.b]!;
    if (a < 0 || b < 0) continue; // a layer without candidates: already an issue
    const widthB = layers[pair.b]!.options.length;
    const itemA = items[a]!;
    const itemB = items[b]!;
    const value = new Float64Array(itemA.candidateIds.length * itemB.candidateIds.length);
    for (let j = 0; j < itemA.candidateIds.length; j++) {
      for (let k = 0; k < itemB.candidateIds.length; k++) {
        const optionA = itemA.choices[j]![memberOf[pair.a]!]!;
        const optionB = itemB.choices[k]![memberOf[pair.b]!]!;
        value[j * itemB.candidateIds.length + k] = pair.value[optionA * widthB + optionB]!;
      }
    }
    out.push({ a, b, value });
  }
  return out;
}

/** The interaction part of a per-layer assignment (option index per layer). */
export function interactionTotal(pairs: readonly LayerPair[], layers: PlannableLayer[], assignment: ArrayLike<number>): number {
  let total = 0;
  for (const pair of pairs) total += pair.value[assignment[pair.a]! * layers[pair.b]!.options.length + assignment[pair.b]!]!;
  return total;
}

/**
 * The negative terms a plan relies on that its evidence does not support: below 0 by more than
 * their standard error (or without one). Their sum and count, for a warning.
 */
export function unsupportedNegatives(pairs: readonly LayerPair[], layers: PlannableLayer[], assignment: ArrayLike<number>): { total: number; count: number } {
  let total = 0;
  let count = 0;
  for (const pair of pairs) {
    const at = assignment[pair.a]! * layers[pair.b]!.options.length + assignment[pair.b]!;
    const v = pair.value[at]!;
    const error = pair.stdErr[at]!;
    if (v < 0 && !(Number.isFinite(error) && -v <= error)) {
      total += v;
      count++;
    }
  }
  return { total, count };
}
