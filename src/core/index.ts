// The core's public surface: the HTTP layer and the CLI import only from here.
export { BUILT_IN_FORMATS, findFormat } from './formats/registry.js';
export { effectiveBits, type NumericFormat } from './formats/format.js';
export { parseCandidate, type Candidate } from './formats/candidate.js';
export { BUILT_IN_HARDWARE, findHardware } from './hardware/builtIn.js';
export { COST_METRICS, METRIC_UNITS, type CostMetric } from './costs/metric.js';
export { CoreError, type CoreErrorCode, type FieldIssue } from './errors.js';
export { makePlan, prepareProblem, type PlanInput, type Clock } from './plan/makePlan.js';
export { hawqV3Seed, HAWQ_CANDIDATES, type HawqV3Data } from './seeds/hawqV3.js';
export { SOLVER_BACKENDS, type SolverBackendName } from './solvers/backend.js';
export { ARCHITECTURE_SEEDS, architectureSeed, type ArchitectureSeed } from './seeds/architectureSeeds.js';
export { makeFrontier, type FrontierInput } from './frontier/makeFrontier.js';
export { exportPlan, PLAN_EXPORTS, type PlanExport } from './exports/exportPlan.js';
export { csvRecord } from './exports/text.js';
