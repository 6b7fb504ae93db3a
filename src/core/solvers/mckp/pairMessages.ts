/**
 * A Lagrangian bound for dense pair graphs (issue #26.3: "for other graphs, the linear relaxation
 * of the pair blocks"), by max-product linear programming (MPLP; Globerson and Jaakkola, "Fixing
 * max-product", NIPS 2007, https://papers.nips.cc/paper/3200-fixing-max-product-convergent-message-passing-algorithms-for-map-lp-relaxations).
 *
 * With the budget rows priced by mu, item i's option o costs r(o) = c_o + sum_k mu_k w_ok / s_k.
 * For any messages lambda (one value per pair and option of each of its two items),
 *
 *   sum_i r(x_i) + sum_p t_p(x_a, x_b)
 *     = sum_i [ r(x_i) + sum_(p at i) lambda_p,i(x_i) ] + sum_p [ t_p(x_a, x_b) - lambda_p,a(x_a) - lambda_p,b(x_b) ],
 *
 * so the sum of each bracket's least over the live options is a lower bound on every plan,
 * whatever the messages: the bound is valid by construction, and the messages only tighten it.
 * MPLP's edge update sets one pair's messages to the best for that pair with the others fixed
 * (a block coordinate ascent of the dual of the linear relaxation whose rows make a pair's
 * choices agree with its two items, the relaxation HiGHS solves on these models), so a few sweeps
 * from the last messages climb towards that relaxation's value. Folding each pair into one item
 * (its least over the partner's options) ignores that agreement, and on dense graphs left the
 * bound far below the optimum (gaps of 140-330% at the time limit on 30-60 layers).
 *
 * The search climbs them once, at the root, and moves them into the problem (reparametrize), so
 * that every node's fold starts from the tighter split; between evaluations they persist (any
 * messages are valid), so each warm-starts from the last, and the first ones are the fold.
 */
import type { LagrangianPoint } from './lagrangian.js';
import type { FlatInstance } from './flat.js';
import type { FlatPair } from './pairForest.js';

export class PairMessages {
  /** Per pair: the message to item a (one per option of a), then to item b. */
  private readonly toA: Float64Array[];
  private readonly toB: Float64Array[];
  /** Each option's cost with its messages added (the bracket of its item). */
  private readonly unary: Float64Array;
  private readonly sideA: Float64Array;
  private readonly sideB: Float64Array;

  constructor(
    private readonly inst: FlatInstance,
    private readonly pairs: readonly FlatPair[],
  ) {
    const { start } = inst;
    // The first messages fold each pair into item a (its least over b's options): the bound
    // starts at the folded one, and MPLP's updates only raise it.
    this.toA = pairs.map(({ a, b, table, width }) =>
      Float64Array.from({ length: start[a + 1]! - start[a]! }, (_, j) => {
        let least = Infinity;
        for (let k = 0; k < start[b + 1]! - start[b]!; k++) least = Math.min(least, table[j * width + k]!);
        return least;
      }),
    );
    this.toB = pairs.map((pair) => new Float64Array(start[pair.b + 1]! - start[pair.b]!));
    this.unary = new Float64Array(inst.cost.length);
    let widest = 0;
    for (let i = 0; i < inst.items; i++) widest = Math.max(widest, start[i + 1]! - start[i]!);
    this.sideA = new Float64Array(widest);
    this.sideB = new Float64Array(widest);
  }

  /**
   * L(mu) with the pairs `open` (both items undecided) bounded by messages after `sweeps` MPLP
   * sweeps, the others already in `cost`. The minimizer is each item's least bracket; with
   * `excess`, each live option's bracket is written there: forcing option o raises the bound by
   * at least its excess over its item's least (the other brackets keep their least).
   */
  evaluate(cost: Float64Array, alive: Uint8Array, open: readonly number[], mu: Float64Array, sweeps: number, excess?: Float64Array): LagrangianPoint {
    const { inst, pairs, toA, toB, unary, sideA, sideB } = this;
    const { items, rows, start, weight, capacity, rowScale } = inst;
    const price = new Float64Array(rows);
    for (let k = 0; k < rows; k++) price[k] = mu[k]! / rowScale[k]!;
    for (let o = 0; o < cost.length; o++) {
      if (!alive[o]) continue;
      let v = cost[o]!;
      for (let k = 0; k < rows; k++) v += price[k]! * weight[o * rows + k]!;
      unary[o] = v;
    }
    for (const p of open) {
      const { a, b } = pairs[p]!;
      for (let o = start[a]!; o < start[a + 1]!; o++) if (alive[o]) unary[o] = unary[o]! + toA[p]![o - start[a]!]!;
      for (let o = start[b]!; o < start[b + 1]!; o++) if (alive[o]) unary[o] = unary[o]! + toB[p]![o - start[b]!]!;
    }
    for (let sweep = 0; sweep < sweeps; sweep++) {
      for (const p of open) {
        const { a, b, table, width } = pairs[p]!;
        const messageA = toA[p]!;
        const messageB = toB[p]!;
        const a0 = start[a]!;
        const b0 = start[b]!;
        const na = start[a + 1]! - a0;
        const nb = start[b + 1]! - b0;
        // Each side's bracket without this pair's message.
        for (let j = 0; j < na; j++) if (alive[a0 + j]) sideA[j] = unary[a0 + j]! - messageA[j]!;
        for (let k = 0; k < nb; k++) if (alive[b0 + k]) sideB[k] = unary[b0 + k]! - messageB[k]!;
        // MPLP: lambda_a(j) = -A(j)/2 + min_k (t(j,k) + B(k)) / 2, and the same for b, both from A and B before the update.
        for (let j = 0; j < na; j++) {
          if (!alive[a0 + j]) continue;
          let least = Infinity;
          for (let k = 0; k < nb; k++) if (alive[b0 + k]) least = Math.min(least, table[j * width + k]! + sideB[k]!);
          messageA[j] = (least - sideA[j]!) / 2;
        }
        for (let k = 0; k < nb; k++) {
          if (!alive[b0 + k]) continue;
          let least = Infinity;
          for (let j = 0; j < na; j++) if (alive[a0 + j]) least = Math.min(least, table[j * width + k]! + sideA[j]!);
          messageB[k] = (least - sideB[k]!) / 2;
        }
        for (let j = 0; j < na; j++) if (alive[a0 + j]) unary[a0 + j] = sideA[j]! + messageA[j]!;
        for (let k = 0; k < nb; k++) if (alive[b0 + k]) unary[b0 + k] = sideB[k]! + messageB[k]!;
      }
    }
    // The bound: every bracket's least, computed from the messages as they are.
    let value = 0;
    for (let k = 0; k < rows; k++) value -= price[k]! * capacity[k]!;
    const choice = new Int32Array(items);
    const used = new Float64Array(rows);
    for (let i = 0; i < items; i++) {
      let least = Infinity;
      let arg = -1;
      for (let o = start[i]!; o < start[i + 1]!; o++) {
        if (!alive[o]) continue;
        if (excess) excess[o] = unary[o]!;
        if (unary[o]! < least) [least, arg] = [unary[o]!, o];
      }
      if (arg < 0) return { mu: Float64Array.from(mu), value: Infinity, choice, used };
      choice[i] = arg;
      value += least;
      for (let k = 0; k < rows; k++) used[k] = used[k]! + weight[arg * rows + k]!;
    }
    for (const p of open) {
      const { a, b, table, width } = pairs[p]!;
      const a0 = start[a]!;
      const b0 = start[b]!;
      let least = Infinity;
      for (let j = 0; j < start[a + 1]! - a0; j++) {
        if (!alive[a0 + j]) continue;
        for (let k = 0; k < start[b + 1]! - b0; k++) if (alive[b0 + k]) least = Math.min(least, table[j * width + k]! - toA[p]![j]! - toB[p]![k]!);
      }
      value += least;
    }
    return { mu: Float64Array.from(mu), value, choice, used };
  }

  /**
   * Sweeps from mu (5 at a time) until the bound gains less than `tolerance` of its size, at most
   * `maxSweeps`, or the clock passes `deadline`; returns the bound reached.
   */
  climb(cost: Float64Array, alive: Uint8Array, open: readonly number[], mu: Float64Array, maxSweeps: number, deadline: number, now: () => number, tolerance = 1e-6): number {
    let value = this.evaluate(cost, alive, open, mu, 0).value;
    for (let done = 0; done < maxSweeps && now() < deadline; done += 5) {
      const next = this.evaluate(cost, alive, open, mu, 5).value;
      const gain = next - value;
      value = next;
      if (gain <= tolerance * Math.max(Math.abs(value), 1e-300)) break;
    }
    return value;
  }

  /**
   * Moves the messages into the problem itself, in place: each option's cost gains its messages
   * and each pair's table loses them. Every plan keeps its exact objective (the identity above),
   * and a bound that folds the new tables starts where the messages had climbed.
   */
  reparametrize(cost: Float64Array): void {
    const { inst, pairs, toA, toB } = this;
    const { start } = inst;
    pairs.forEach(({ a, b, table, width }, p) => {
      const na = start[a + 1]! - start[a]!;
      const nb = start[b + 1]! - start[b]!;
      for (let j = 0; j < na; j++) cost[start[a]! + j] = cost[start[a]! + j]! + toA[p]![j]!;
      for (let k = 0; k < nb; k++) cost[start[b]! + k] = cost[start[b]! + k]! + toB[p]![k]!;
      for (let j = 0; j < na; j++) for (let k = 0; k < nb; k++) table[j * width + k] = table[j * width + k]! - toA[p]![j]! - toB[p]![k]!;
      toA[p]!.fill(0);
      toB[p]!.fill(0);
    });
  }
}
