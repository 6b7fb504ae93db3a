/** A hardware cost model (the contract's HardwareProfile schema describes exactly this type). */

/** Per-operation and per-byte energy, for the energyJ metric. */
export interface EnergyModel {
  /** Energy of one multiply-accumulate per compute format, in picojoules. */
  macPicojoules: Record<string, number>;
  dramPicojoulesPerByte: number;
  source: string;
}

export interface HardwareProfile {
  id: string;
  name: string;
  memoryBandwidthGBps: number;
  /** Dense peak throughput per compute format, tera-operations per second. */
  peakTeraOpsPerSecond: Record<string, number>;
  nativeFormats: string[];
  defaultCandidates: string[];
  /** Every unscaled float format up to 16 bits counts as native (FPGA fabrics). */
  anyMinifloat?: boolean;
  energy?: EnergyModel;
  extraMetrics?: 'macLuts'[];
  /** The public source of each figure, keyed by the field it supports. */
  sources: Record<string, string>;
}
