/**
 * The cost metrics a budget or an objective can name (per layer and candidate; a plan's total is
 * the sum over layers):
 * - sizeBytes = params x (element bits + scale bits per element) / 8.
 * - avgBits = total size in bits / total params: mean bits per weight, scale overhead included.
 * - bops = MACs x weight element bits x activation element bits (per sample; HAWQ-V3, AIMET, MCT).
 * - latencyMs = the descriptor's measured table when it has the candidate, else the hardware
 *   profile's roofline at batchSize: max(2 x MACs x batch / peak(compute format),
 *   (weight bytes + batch x activationElements x activation bits / 8) / memory bandwidth).
 * - energyJ = MACs x batch x energy per MAC (compute format) + bytes moved x DRAM energy per byte
 *   (the profile's energy model; built-in profiles use Horowitz, ISSCC 2014, 45 nm).
 * - macLuts (FPGA profiles) = macUnits x (multiplier + accumulator) LUTs of one MAC unit, after
 *   Aggarwal et al. (arXiv:2311.12359).
 */
export const COST_METRICS = ['sizeBytes', 'avgBits', 'bops', 'latencyMs', 'energyJ', 'macLuts'] as const;
export type CostMetric = (typeof COST_METRICS)[number];

export const METRIC_UNITS: Record<CostMetric, string> = {
  sizeBytes: 'bytes',
  avgBits: 'bits per weight',
  bops: 'bit operations per sample',
  latencyMs: 'milliseconds',
  energyJ: 'joules per batch',
  macLuts: 'lookup tables (estimated)',
};

/** A measured latency table is in its own unit (HAWQ-V3's T4 table is relative). */
export const MEASURED_LATENCY_UNIT = 'the unit of the measured latency table';

/** What each metric is, in words, for titles and axis labels a person reads. */
export const METRIC_NAMES: Record<CostMetric, string> = {
  sizeBytes: 'model size',
  avgBits: 'average bits per weight',
  bops: 'bit operations per sample',
  latencyMs: 'latency',
  energyJ: 'energy per batch',
  macLuts: 'MAC lookup tables',
};
