/** Where a layer's sensitivity score came from, in the order of preference of design.md. */
export const SENSITIVITY_SOURCES = [
  'lossDelta',
  'hessianTrace x perturbation',
  'hessianTrace x extrapolated perturbation',
  'none (pinned)',
] as const;
export type SensitivitySource = (typeof SENSITIVITY_SOURCES)[number];
