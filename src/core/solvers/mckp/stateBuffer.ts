/**
 * The states of one stage of the core program, in typed arrays that grow by doubling (never past
 * a cap) and are reused from stage to stage: per state its cost, its reduced-cost sum, its weight
 * in each of the m rows, and a link (the trail entry of a kept state, or the parent's trail entry
 * of a successor) with the option that made it.
 */
export class StateBuffer {
  cost = new Float64Array(1024);
  reduced = new Float64Array(1024);
  weight: Float64Array;
  link = new Int32Array(1024);
  option = new Int32Array(1024);

  constructor(readonly rows: number) {
    this.weight = new Float64Array(1024 * rows);
  }

  /** Room for `size` states, growing to at most `most`. */
  reserve(size: number, most = Infinity): void {
    this.cost = grow(this.cost, size, most);
    this.reduced = grow(this.reduced, size, most);
    this.weight = grow(this.weight, size * this.rows, most * this.rows);
    this.link = grow(this.link, size, most);
    this.option = grow(this.option, size, most);
  }
}

/** The choices that led to every kept state: entry = (parent entry, option), -1 ends a path. */
export class Trail {
  parent = new Int32Array(1 << 16);
  option = new Int32Array(1 << 16);
  size = 0;

  /** Appends an entry and returns its index. */
  push(parent: number, option: number): number {
    if (this.size === this.parent.length) {
      this.parent = grow(this.parent, this.size + 1);
      this.option = grow(this.option, this.size + 1);
    }
    this.parent[this.size] = parent;
    this.option[this.size] = option;
    return this.size++;
  }
}

/** The array, or a copy at least `size` long (doubling, but never past `most`). */
function grow<A extends Float64Array | Int32Array>(array: A, size: number, most = Infinity): A {
  if (array.length >= size) return array;
  const bigger = new (array.constructor as new (n: number) => A)(Math.max(size, Math.min(array.length * 2, most)));
  bigger.set(array);
  return bigger;
}
