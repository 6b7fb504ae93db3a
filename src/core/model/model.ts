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
  /** How integer formats without groups scale: one scale per tensor (default) or per output channel. */
  granularity?: 'per-tensor' | 'per-channel';
  /** Output channels, for per-channel scales. */
  channels?: number;
}

/** Evidence about how much quantizing a layer hurts (used in the order lossDelta, Hessian score). */
export interface LayerSensitivity {
  /** Mean Hessian trace Tr(H)/n of the weights (HAWQ-V2/V3). */
  hessianTrace?: number;
  /** Tr(H) itself (what PyHessian reports), instead of hessianTrace. */
  hessianTraceSum?: number;
  /** Standard error of the trace given (hessianTrace or hessianTraceSum, in its units). */
  hessianTraceStdErr?: number;
  /** ||Q_w(W) - W||^2 per weight format id. */
  perturbation?: Record<string, number>;
  /** Top Hessian eigenvalue (HAWQ-V1), used without hessianTrace. */
  hessianEigenvalue?: number;
  /** Measured loss change when only this layer takes the candidate, per candidate id. */
  lossDelta?: Record<string, number>;
  /** Standard error of each measured loss change, per candidate id. */
  lossDeltaStdErr?: Record<string, number>;
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
  /** Multiply-accumulates per sample; needed by the costs that count operations (bops, roofline latency, energy). */
  macs?: number;
  /** Activation elements read and written per sample. */
  activationElements?: number;
  /** Length of each dot product (for macLuts). */
  dotProductLength?: number;
  /**
   * Length of a weight row, the dimension a quantization block or group runs along: in_features
   * of a linear layer, in_channels / groups x kernel elements of a convolution, the embedding
   * width of an embedding (ggml's ne[0]). Runtime targets check block sizes against it.
   */
  inFeatures?: number;
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

/**
 * A measured interaction of two layers: delta["<candidate of a>|<candidate of b>"] =
 * L(both quantized) - L(a alone) - L(b alone) + L(float); absent combinations are 0.
 */
export interface Interaction {
  layers: [string, string];
  delta: Record<string, number>;
  /** Standard error of each term (across calibration batches). */
  stdErr?: Record<string, number>;
}

export interface ModelDescriptor {
  name: string;
  /** The format the model runs in: weight-only candidates (a bare weight format) leave activations in it. Default fp16. */
  precision?: string;
  layers: Layer[];
  /** Layer names that take one candidate together. */
  groups?: string[][];
  /** Pairwise terms added to the layers' sensitivities (problem/interactions.ts). */
  interactions?: Interaction[];
  /** Tensors not planned (biases, norms), left in the model's precision and in no cost. */
  unplanned?: { params: number; tensors: string[] };
}
