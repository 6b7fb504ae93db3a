/** Where a layer's sensitivity score came from, in the order of preference of design.md. */
export const SENSITIVITY_SOURCES = [
  'lossDelta',
  'hessianTrace x perturbation',
  'hessianTrace x extrapolated perturbation',
  'hessianTrace x estimated perturbation',
  'hessianEigenvalue x perturbation',
  'hessianEigenvalue x extrapolated perturbation',
  'hessianEigenvalue x estimated perturbation',
  'relative weight error (weightStats alone)',
  'none (pinned)',
  'none (tied)',
] as const;
export type SensitivitySource = (typeof SENSITIVITY_SOURCES)[number];
