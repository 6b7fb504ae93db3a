/**
 * Regular expressions that match exactly a chosen set of module names among all the model's, for
 * readers that select modules by pattern (compressed-tensors `re:` targets and GPTQModel's
 * `dynamic` keys, both applied with Python's re.match, which anchors at the start only). Names
 * are split into literal text and digit runs ("model.layers.#.self_attn.q_proj"); names of one
 * shape that differ in one digit run merge into an alternation, and an alternation that covers
 * every name of that shape becomes [0-9]+ (not \d, which Python widens to every Unicode digit).
 * Each pattern is checked against every name before it is answered, and falls back to the names
 * themselves if it would match one outside its set.
 */

interface Shape {
  template: string;
  /** The literal parts between digit runs (one more than slots). */
  literals: string[];
  /** Per digit run: the values it takes (one for a single name), or null for any digits. */
  slots: (string[] | null)[];
  /** Other endings of the same shape (q_proj beside k_proj, v_proj), in place of the last literal. */
  endings?: string[];
}

const escapeLiteral = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);

function split(name: string): { literals: string[]; digits: string[] } {
  const literals: string[] = [];
  const digits: string[] = [];
  let last = 0;
  for (const match of name.matchAll(/\d+/g)) {
    literals.push(name.slice(last, match.index));
    digits.push(match[0]);
    last = match.index + match[0].length;
  }
  literals.push(name.slice(last));
  return { literals, digits };
}

const slotKey = (slot: string[] | null) => (slot === null ? '*' : slot.join(','));

function render(shape: Shape): string {
  const last = shape.literals.length - 1;
  const literal = (i: number) => (i === last && shape.endings ? endingsPattern(shape.endings) : escapeLiteral(shape.literals[i]!));
  let out = literal(0);
  shape.slots.forEach((slot, i) => {
    out += slot === null ? '[0-9]+' : slot.length === 1 ? slot[0]! : `(?:${slot.join('|')})`;
    out += literal(i + 1);
  });
  return `${out}$`;
}

/** Endings as their common prefix and an alternation of the rest: \.self_attn\.(?:q_proj|k_proj). */
function endingsPattern(endings: readonly string[]): string {
  let common = endings[0]!;
  for (const ending of endings) while (!ending.startsWith(common)) common = common.slice(0, -1);
  return `${escapeLiteral(common)}(?:${endings.map((ending) => escapeLiteral(ending.slice(common.length))).join('|')})`;
}

/** Shapes equal but for their last literal, as one shape with endings. */
function mergeEndings(shapes: Shape[]): Shape[] {
  const merged = new Map<string, Shape>();
  for (const shape of shapes) {
    const key = `${shape.literals.slice(0, -1).join('#')}|${shape.slots.map(slotKey).join('|')}`;
    const into = merged.get(key);
    const ending = shape.literals[shape.literals.length - 1]!;
    if (!into) merged.set(key, { ...shape, endings: [ending] });
    else into.endings!.push(ending);
  }
  return [...merged.values()].map((shape) => (shape.endings!.length === 1 ? { ...shape, endings: undefined } : shape));
}

/** Merges shapes that differ in exactly slot `at` (same template, same other slots). */
function mergeOn(shapes: Shape[], at: number): Shape[] {
  const merged = new Map<string, Shape>();
  for (const shape of shapes) {
    if (at >= shape.slots.length) {
      merged.set(`${shape.template}|${shape.slots.map(slotKey).join('|')}|nomerge`, shape);
      continue;
    }
    const key = `${shape.template}|${shape.slots.map((slot, i) => (i === at ? '' : slotKey(slot))).join('|')}`;
    const into = merged.get(key);
    const here = shape.slots[at]!;
    if (!into) merged.set(key, { ...shape, slots: [...shape.slots] });
    else {
      const there = into.slots[at]!;
      into.slots[at] = here === null || there === null ? null : [...new Set([...there, ...here])];
    }
  }
  return [...merged.values()];
}

/**
 * Patterns (without the re:/+: prefix) that together match exactly `chosen` among `all` (names
 * in `chosen` must be in `all`). Each pattern matches with re.match semantics and ends in $.
 */
export function exactPatterns(chosen: readonly string[], all: readonly string[]): string[] {
  const chosenSet = new Set(chosen);
  let shapes: Shape[] = chosen.map((name) => {
    const { literals, digits } = split(name);
    return { template: literals.join('#'), literals, slots: digits.map((d) => [d]) };
  });
  const widest = Math.max(0, ...shapes.map((shape) => shape.slots.length));
  for (let at = widest - 1; at >= 0; at--) shapes = mergeOn(shapes, at);
  for (let at = widest - 1; at >= 0; at--) shapes = mergeOn(shapes, at);
  const patterns: string[] = [];
  for (const shape of mergeEndings(shapes)) {
    // Digits in alternations sort numerically, so patterns read in model order.
    shape.slots = shape.slots.map((slot) => (slot === null ? null : [...slot].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b))));
    for (let i = 0; i < shape.slots.length; i++) {
      if (shape.slots[i] === null || shape.slots[i]!.length === 1) continue;
      const widened: Shape = { ...shape, slots: shape.slots.map((slot, j) => (j === i ? null : slot)) };
      if (matchesOnly(render(widened), all, chosenSet)) shape.slots = widened.slots;
    }
    const pattern = render(shape);
    if (matchesOnly(pattern, all, chosenSet)) patterns.push(pattern);
    else patterns.push(...chosen.filter((name) => new RegExp(`^${pattern}`).test(name)).map((name) => `${escapeLiteral(name)}$`));
  }
  return patterns;
}

function matchesOnly(pattern: string, all: readonly string[], chosen: ReadonlySet<string>): boolean {
  const regex = new RegExp(`^${pattern}`);
  return all.every((name) => !regex.test(name) || chosen.has(name));
}

/** One pattern for the whole set: the patterns joined as an alternation. */
export function exactPattern(chosen: readonly string[], all: readonly string[]): string {
  const patterns = exactPatterns(chosen, all);
  return patterns.length === 1 ? patterns[0]! : `(?:${patterns.join('|')})`;
}
