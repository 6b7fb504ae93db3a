/**
 * The model the planner works on: quantizable layers with their costs and the evidence of how
 * much quantizing each hurts (the ModelDescriptor of design.md). The contract's zod schemas
 * (src/contract/model.ts) describe exactly these types.
 */

/** Weight statistics of a layer, for estimating a perturbation that was not measured. */
export interface WeightStats {
  absMax: number;
  rms: number;
  /** Weights the statistics cover; default the layer's params. */
  count?: number;
}

/** Evidence about how much quantizing a layer hurts (used in the order lossDelta, Hessian score). */
export interface LayerSensitivity {
  /** Mean Hessian trace Tr(H)/n of the weights (HAWQ-V2/V3). */
  hessianTrace?: number;
  /** ||Q_w(W) - W||^2 per weight format id. */
  perturbation?: Record<string, number>;
  /** Top Hessian eigenvalue (HAWQ-V1), used without hessianTrace. */
  hessianEigenvalue?: number;
  /** Measured loss change when only this layer takes the candidate, per candidate id. */
  lossDelta?: Record<string, number>;
  /** Mean Hessian trace with respect to the input activations (HAWQ-V2). */
  activationTrace?: number;
  /** Squared quantization error of the input activations per activation format id. */
  activationPerturbation?: Record<string, number>;
  weightStats?: WeightStats;
}

/** Names of a layer in the toolkits a plan exports to. */
export interface LayerAliases {
  hawq?: string;
  modelopt?: string;
  gguf?: string;
}

export interface Layer {
  name: string;
  op?: string;
  /** Weight elements. */
  params: number;
  /** Multiply-accumulates per sample. */
  macs: number;
  /** Activation elements read and written per sample. */
  activationElements?: number;
  /** Length of each dot product (for macLuts). */
  dotProductLength?: number;
  /** MAC units of an FPGA dataflow design (for macLuts). */
  macUnits?: number;
  /** Producer layers whose outputs this layer reads. */
  inputs?: string[];
  sensitivity?: LayerSensitivity;
  /** Measured latency per candidate id. */
  latencyMs?: Record<string, number>;
  /** Candidates this layer may take (default: the request's or the hardware's). */
  candidates?: string[];
  /** A candidate this layer is fixed to. */
  pin?: string;
  aliases?: LayerAliases;
}

export interface ModelDescriptor {
  name: string;
  layers: Layer[];
  /** Layer names that take one candidate together. */
  groups?: string[][];
}
