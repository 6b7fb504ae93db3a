import type { ModelDescriptor } from '../model/model.js';
import type { FieldIssue } from '../errors.js';
import type { PlannableLayer } from './layerOptions.js';

/**
 * A decision the solver makes: one candidate for a set of tied layers (a single layer when
 * untied). `choices[j]` lists, for the item's j-th candidate, the option index of each member.
 */
export interface Item {
  members: number[];
  /** Read-only: items may share one list. */
  candidateIds: readonly string[];
  choices: number[][];
}

/** A one-layer item's choices ([[0], [1], ...]): the same read-only arrays for every such item of n candidates. */
const SINGLE_CHOICES: number[][][] = [];
function singleChoices(n: number): number[][] {
  return (SINGLE_CHOICES[n] ??= Array.from({ length: n }, (_, j) => [j]));
}

/** Tied layers merge into one item (union-find, so overlapping groups merge too); order follows the first member. */
export function buildItems(model: ModelDescriptor, layers: PlannableLayer[], issues: FieldIssue[], groupPath: (g: number) => string = (g) => `groups[${g}]`): Item[] {
  // Without groups every layer is its own item (no name index or union-find for large models).
  if (!model.groups?.length) {
    const items: Item[] = [];
    // Consecutive layers mostly allow the same candidates: they share one read-only list.
    let previousIds: string[] = [];
    layers.forEach((plannable, index) => {
      const { options } = plannable;
      if (options.length === 0) return; // already reported on the layer
      const same = previousIds.length === options.length && options.every((option, j) => option.candidate.id === previousIds[j]);
      if (!same) previousIds = options.map((option) => option.candidate.id);
      items.push({ members: [index], candidateIds: previousIds, choices: singleChoices(options.length) });
    });
    return items;
  }
  const parent = layers.map((_, index) => index);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const indexByName = new Map(model.layers.map((layer, index) => [layer.name, index]));
  const groupOfRoot = new Map<number, number>();
  (model.groups ?? []).forEach((group, g) => {
    const indices = group.map((name) => indexByName.get(name)).filter((i): i is number => i !== undefined);
    for (const index of indices.slice(1)) parent[find(index)] = find(indices[0]!);
    if (indices.length > 0) groupOfRoot.set(indices[0]!, g);
  });
  const membersByRoot = new Map<number, number[]>();
  layers.forEach((_, index) => {
    const root = find(index);
    const members = membersByRoot.get(root) ?? [];
    members.push(index);
    membersByRoot.set(root, members);
  });
  const firstGroupOf = (members: number[]): number =>
    [...groupOfRoot.entries()].find(([index]) => members.includes(index))?.[1] ?? 0;

  const items: Item[] = [];
  for (const members of membersByRoot.values()) {
    const memberIds = members.map((m) => layers[m]!.options.map((option) => option.candidate.id));
    if (memberIds.some((ids) => ids.length === 0)) continue; // already reported on the layer
    const common = memberIds[0]!.filter((id) => memberIds.every((ids) => ids.includes(id)));
    if (common.length === 0) {
      const names = members.map((m, k) => `${layers[m]!.layer.name} (${memberIds[k]!.join(', ')})`);
      issues.push({
        path: groupPath(firstGroupOf(members)),
        message: `tied layers have no candidate in common: ${names.join('; ')}`,
      });
      continue;
    }
    items.push({
      members,
      candidateIds: common,
      choices: common.map((id) => memberIds.map((ids) => ids.indexOf(id))),
    });
  }
  return items;
}
