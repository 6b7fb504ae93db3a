/**
 * The master problem of the cutting-plane dual search, solved by a small dense simplex:
 *
 *   maximize z  subject to  z <= b_t + g_t . y  for every cut t,   0 <= y_k <= width_k.
 *
 * It has m + 1 variables (m <= 4 rows) and at most a few dozen cuts, so a dense tableau is
 * both the simplest and the fastest way; a general LP library spends more time building its
 * model than this spends solving.
 *
 * Substituting z = w + min_t b_t (w >= 0) makes the origin feasible: the optimum is at least
 * min_t b_t (y = 0), so the substitution loses nothing and no first phase is needed. Bland's
 * rule (least index enters, least basic index leaves on ties) rules out cycling.
 */

const PIVOT_TOLERANCE = 1e-12;

export interface CutModelSolution {
  y: Float64Array;
  value: number;
}

/** Branch and bound solves a model at every dual step of every node: one tableau, grown once. */
const scratch = { tableau: new Float64Array(0), basis: new Int32Array(0) };

/**
 * @param offsets  b_t per cut
 * @param slopes   g_t per cut, m values each (cut t at t*m)
 * @param width    upper bound of each y_k
 */
export function maximizeCutModel(offsets: ArrayLike<number>, slopes: ArrayLike<number>, width: ArrayLike<number>): CutModelSolution {
  const cuts = offsets.length;
  const m = width.length;
  let least = Infinity;
  for (let t = 0; t < cuts; t++) least = Math.min(least, offsets[t]!);
  // Columns: w, y_1..y_m, one slack per row; rows: the cuts, then y_k <= width_k.
  const rows = cuts + m;
  const columns = 1 + m + rows;
  const stride = columns + 1; // last entry: right-hand side
  if (scratch.tableau.length < rows * stride) scratch.tableau = new Float64Array(2 * rows * stride);
  if (scratch.basis.length < rows) scratch.basis = new Int32Array(2 * rows);
  const tableau = scratch.tableau.fill(0, 0, rows * stride);
  const basis = scratch.basis;
  for (let t = 0; t < cuts; t++) {
    const row = t * stride;
    tableau[row] = 1; // w
    for (let k = 0; k < m; k++) tableau[row + 1 + k] = -slopes[t * m + k]!;
    tableau[row + 1 + m + t] = 1;
    tableau[row + columns] = offsets[t]! - least;
    basis[t] = 1 + m + t;
  }
  for (let k = 0; k < m; k++) {
    const r = cuts + k;
    const row = r * stride;
    tableau[row + 1 + k] = 1;
    tableau[row + 1 + m + r] = 1;
    tableau[row + columns] = width[k]!;
    basis[r] = 1 + m + r;
  }
  // Reduced costs of the objective "maximize w": positive entries may enter.
  const objective = new Float64Array(stride);
  objective[0] = 1;

  for (let iteration = 0; iteration < 50 * (rows + columns); iteration++) {
    let entering = -1;
    for (let j = 0; j < columns; j++) {
      if (objective[j]! > PIVOT_TOLERANCE) {
        entering = j;
        break;
      }
    }
    if (entering < 0) break;
    let leaving = -1;
    let ratio = Infinity;
    for (let r = 0; r < rows; r++) {
      const a = tableau[r * stride + entering]!;
      if (a <= PIVOT_TOLERANCE) continue;
      const candidate = tableau[r * stride + columns]! / a;
      if (candidate < ratio - PIVOT_TOLERANCE || (candidate <= ratio + PIVOT_TOLERANCE && leaving >= 0 && basis[r]! < basis[leaving]!)) {
        ratio = Math.min(ratio, candidate);
        leaving = r;
      }
    }
    if (leaving < 0) break; // unbounded: impossible with a box and at least one cut
    pivot(tableau, objective, stride, rows, leaving, entering);
    basis[leaving] = entering;
  }

  const values = new Float64Array(columns);
  for (let r = 0; r < rows; r++) values[basis[r]!] = Math.max(0, tableau[r * stride + columns]!);
  const y = new Float64Array(m);
  for (let k = 0; k < m; k++) y[k] = Math.min(values[1 + k]!, width[k]!);
  // The value is recomputed from y (the model's own z can drift by rounding).
  let value = Infinity;
  for (let t = 0; t < cuts; t++) {
    let v = offsets[t]!;
    for (let k = 0; k < m; k++) v += slopes[t * m + k]! * y[k]!;
    value = Math.min(value, v);
  }
  return { y, value };
}

function pivot(tableau: Float64Array, objective: Float64Array, stride: number, rows: number, leaving: number, entering: number): void {
  const base = leaving * stride;
  const scale = 1 / tableau[base + entering]!;
  for (let j = 0; j < stride; j++) tableau[base + j] = tableau[base + j]! * scale;
  tableau[base + entering] = 1;
  for (let r = 0; r < rows; r++) {
    if (r === leaving) continue;
    const factor = tableau[r * stride + entering]!;
    if (factor === 0) continue;
    const row = r * stride;
    for (let j = 0; j < stride; j++) tableau[row + j] = tableau[row + j]! - factor * tableau[base + j]!;
    tableau[row + entering] = 0;
  }
  const factor = objective[entering]!;
  for (let j = 0; j < stride; j++) objective[j] = objective[j]! - factor * tableau[base + j]!;
  objective[entering] = 0;
}
