/**
 * Measured evidence is noisy (Hutchinson traces from a few samples, loss changes from a few
 * hundred calibration inputs), and an exact optimizer exploits every error in its inputs. Before
 * a layer is scored its evidence is made sound:
 *
 * - the trace: hessianTraceSum (Tr H) becomes the mean hessianTrace (Tr H / n); a negative trace
 *   within 3 standard errors of 0 counts as 0, one further below (or without a standard error) is
 *   refused, since a curvature below zero is no evidence of anything;
 * - measured loss changes that grow with precision (formats/precisionOrder.ts: within one format
 *   family), or lie below 0, are projected onto the nearest values (weighted by 1 / stdErr^2)
 *   that never grow with precision and are at least 0,
 *   unless the request keeps them raw (evidence.lossDelta = 'raw');
 * - robust z plans on value + z x stdErr: the pessimistic side, so that noise cannot buy a format.
 */
import type { LayerSensitivity } from '../model/model.js';
import type { Candidate } from '../formats/candidate.js';
import { morePrecise } from '../formats/precisionOrder.js';

/** How evidence is treated: loss changes projected or kept raw; z standard errors added (0: none). */
export interface EvidencePolicy {
  lossDelta: 'isotonic' | 'raw';
  z: number;
  /**
   * A trace below 0 beyond its noise (an indefinite Hessian, away from a minimum): refused
   * (default), or taken as 0 with a note naming the layer.
   */
  negativeTrace?: 'refuse' | 'zero';
}

export const DEFAULT_EVIDENCE_POLICY: EvidencePolicy = { lossDelta: 'isotonic', z: 0 };

/** A layer's evidence made sound, and what was changed (for warnings), or why it is refused. */
export interface SoundEvidence {
  sensitivity: LayerSensitivity;
  /** Sentences without the layer name ("negative hessianTrace within 3 standard errors taken as 0"). */
  notes: readonly string[];
  /** Loss changes were non-monotone in precision or negative (projected unless raw). */
  irregularLossDelta: boolean;
}

/** Standard errors a negative trace may lie below 0 and still count as 0. */
const TRACE_TOLERANCE_SE = 3;

const NO_NOTES: readonly string[] = [];

export function soundEvidence(sensitivity: LayerSensitivity, params: number, policy: EvidencePolicy, parse: (id: string) => Candidate | undefined): SoundEvidence | string {
  // Most layers need nothing changed: the same object back, nothing allocated (45,000 layers).
  if (sensitivity.hessianTraceSum === undefined && !(sensitivity.hessianTrace! < 0) && policy.z === 0) {
    const lossDelta = sensitivity.lossDelta;
    if (!lossDelta || isMonotoneRecord(lossDelta, parse)) return { sensitivity, notes: NO_NOTES, irregularLossDelta: false };
  }
  const notes: string[] = [];
  const out: LayerSensitivity = { ...sensitivity };
  if (sensitivity.hessianTrace !== undefined && sensitivity.hessianTraceSum !== undefined) {
    return 'gives both hessianTrace (Tr H / n) and hessianTraceSum (Tr H); give one';
  }
  if (sensitivity.hessianTraceSum !== undefined) {
    if (params <= 0) return 'gives hessianTraceSum but has no params to divide it by (hessianTrace is Tr H / params)';
    out.hessianTrace = sensitivity.hessianTraceSum / params;
    if (sensitivity.hessianTraceStdErr !== undefined) out.hessianTraceStdErr = sensitivity.hessianTraceStdErr / params;
    delete out.hessianTraceSum;
  }
  const trace = out.hessianTrace;
  const traceSe = out.hessianTraceStdErr;
  if (trace !== undefined && trace < 0) {
    const seText = traceSe === undefined ? 'without a standard error' : `${(-trace / traceSe).toFixed(1)} standard errors below 0`;
    if (traceSe === undefined || trace < -TRACE_TOLERANCE_SE * traceSe) {
      if (policy.negativeTrace !== 'zero') {
        return `has a negative Hessian trace (${trace.toPrecision(3)}), ${seText}: the Hessian there is indefinite (a model away from a minimum) or the estimate is noise; measure loss changes instead (lossDelta, bitplan.torch.loss_deltas or a KL loss), give hessianTraceStdErr if it is noise, or set evidence.negativeTrace to "zero" to plan it as 0`;
      }
      out.hessianTrace = 0;
      notes.push(`negative Hessian trace ${seText} taken as 0 (evidence.negativeTrace "zero")`);
    } else {
      out.hessianTrace = 0;
      notes.push(`negative Hessian trace within ${TRACE_TOLERANCE_SE} standard errors of 0 taken as 0`);
    }
  }
  if (policy.z > 0 && out.hessianTrace !== undefined && traceSe !== undefined) out.hessianTrace += policy.z * traceSe;

  let irregularLossDelta = false;
  if (sensitivity.lossDelta) {
    const ids = Object.keys(sensitivity.lossDelta);
    const values = ids.map((id) => sensitivity.lossDelta![id]!);
    const stdErr = ids.map((id) => sensitivity.lossDeltaStdErr?.[id]);
    const candidates = ids.map((id) => parse(id)!);
    irregularLossDelta = !isMonotone(candidates, values);
    let adjusted = values;
    if (irregularLossDelta && policy.lossDelta === 'isotonic') {
      adjusted = projectMonotone(candidates, values, stdErr.map((se) => (se !== undefined && se > 0 ? 1 / (se * se) : 1)));
      notes.push('measured loss changes that grew with precision (a wider format of the same family measured worse) or lay below 0 projected onto the nearest that do not (isotonic)');
    }
    if (policy.z > 0) adjusted = adjusted.map((value, k) => value + policy.z * (stdErr[k] ?? 0));
    out.lossDelta = Object.fromEntries(ids.map((id, k) => [id, adjusted[k]!]));
  }
  return { sensitivity: out, notes, irregularLossDelta };
}

/**
 * isMonotone over a record of loss changes by candidate id, for every layer of a large model:
 * the layers of one request list the same candidates in the same order, so which is more precise
 * than which is worked out once (per parse function, that is per request) and the values are
 * read into a reused array.
 */
function isMonotoneRecord(lossDelta: Record<string, number>, parse: (id: string) => Candidate | undefined): boolean {
  let known = PRECISION_PAIRS.get(parse);
  let n = 0;
  let same = known !== undefined;
  for (const id in lossDelta) {
    if (same && known!.ids[n] !== id) same = false;
    SCRATCH_IDS[n] = id;
    SCRATCH_VALUES[n++] = lossDelta[id]!;
  }
  if (!same || known!.ids.length !== n) {
    const candidates = SCRATCH_IDS.slice(0, n).map((id) => parse(id)!);
    const pairs: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (morePrecise(candidates[i]!, candidates[j]!)) pairs.push(i, j);
    known = { ids: SCRATCH_IDS.slice(0, n), pairs };
    PRECISION_PAIRS.set(parse, known);
  }
  for (let i = 0; i < n; i++) if (SCRATCH_VALUES[i]! < 0) return false;
  const { pairs } = known!;
  for (let p = 0; p < pairs.length; p += 2) if (SCRATCH_VALUES[pairs[p]!]! > SCRATCH_VALUES[pairs[p + 1]!]!) return false;
  return true;
}
/** Per parse function: the candidate ids of the last record seen, and the pairs (i, j) with i more precise than j. */
const PRECISION_PAIRS = new WeakMap<(id: string) => Candidate | undefined, { ids: string[]; pairs: number[] }>();
const SCRATCH_IDS: string[] = [];
const SCRATCH_VALUES: number[] = [];

function isMonotone(candidates: Candidate[], values: number[]): boolean {
  for (let i = 0; i < values.length; i++) {
    if (values[i]! < 0) return false;
    for (let j = 0; j < values.length; j++) if (morePrecise(candidates[i]!, candidates[j]!) && values[i]! > values[j]!) return false;
  }
  return true;
}

/**
 * The weighted least-squares projection of `values` onto { y >= 0, y_a <= y_b whenever a is
 * more precise than b }, by Dykstra's alternating projections onto each half-space (exact in
 * the limit; a layer has a few dozen candidates at most).
 */
export function projectMonotone(candidates: Candidate[], values: number[], weights: number[]): number[] {
  const n = values.length;
  const constraints: [number, number][] = []; // [i, j]: y_i <= y_j; [i, -1]: y_i >= 0
  for (let i = 0; i < n; i++) {
    constraints.push([i, -1]);
    for (let j = 0; j < n; j++) if (morePrecise(candidates[i]!, candidates[j]!)) constraints.push([i, j]);
  }
  const y = [...values];
  const correction = constraints.map(() => [0, 0]);
  const scale = Math.max(1e-300, ...values.map(Math.abs));
  for (let sweep = 0; sweep < 10_000; sweep++) {
    let moved = 0;
    constraints.forEach(([i, j], c) => {
      // Add back this constraint's last correction, project onto it, keep the new correction.
      const [ci, cj] = correction[c]!;
      const zi = y[i]! + ci!;
      const zj = j >= 0 ? y[j]! + cj! : 0;
      let pi = zi;
      let pj = zj;
      if (j < 0) {
        pi = Math.max(0, zi); // y_i >= 0
      } else if (zi > zj) {
        // y_i <= y_j, weighted: both move to their weighted mean.
        const wi = weights[i]!;
        const wj = weights[j]!;
        pi = pj = (wi * zi + wj * zj) / (wi + wj);
      }
      correction[c] = [zi - pi, zj - pj];
      moved = Math.max(moved, Math.abs(pi - y[i]!), j >= 0 ? Math.abs(pj - y[j]!) : 0);
      y[i] = pi;
      if (j >= 0) y[j] = pj;
    });
    if (moved <= 1e-14 * scale) break;
  }
  return y.map((v) => Math.max(0, v));
}
