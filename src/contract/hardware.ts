import { z } from 'zod';
import { component, describes, doc, name, text } from './doc.js';
import type * as core from '../core/index.js';

/** Hardware figures are positive and at most 1e9 in their units (no real chip comes near), so that no cost overflows. */
const positive = () => z.number().positive().max(1e9);

export const EnergyModel = describes<core.EnergyModel>()(component(
  'EnergyModel',
  z.strictObject({
    macPicojoules: doc(
      z.record(name(), positive()),
      'Energy of one multiply-accumulate per compute format, in picojoules.',
      { int8: 0.3, fp16: 1.5, fp32: 4.6 },
    ),
    dramPicojoulesPerByte: doc(positive(), 'Energy of moving one byte to or from DRAM, in picojoules.', 162.5),
    source: doc(text(), 'Where the figures come from.', 'Horowitz, ISSCC 2014, 45 nm'),
  }),
  'Per-operation and per-byte energy, for the energyJ metric.',
  { macPicojoules: { int8: 0.3, fp16: 1.5, fp32: 4.6 }, dramPicojoulesPerByte: 162.5, source: 'Horowitz, ISSCC 2014, 45 nm' },
));

export const HardwareProfile = describes<core.HardwareProfile>()(component(
  'HardwareProfile',
  z.strictObject({
    id: doc(name().regex(/^[a-z0-9][a-z0-9-]*$/), 'Profile id (lower case, digits and dashes).', 'nvidia-t4'),
    name: doc(text(), 'Human-readable name of the chip.', 'NVIDIA T4 (Turing, TU104, 70 W)'),
    memoryBandwidthGBps: doc(positive(), 'Peak DRAM bandwidth in GB/s (1e9 bytes per second).', 320),
    peakTeraOpsPerSecond: doc(
      z.record(name(), positive()),
      'Dense peak throughput per compute format, in tera-operations per second (no structured sparsity).',
      { fp16: 65, int8: 130, int4: 260 },
    ),
    nativeFormats: doc(z.array(name()), 'Formats the chip computes in natively.', ['fp16', 'int8', 'int4']),
    defaultCandidates: doc(
      z.array(name()).min(1),
      'Candidates used when a request names none.',
      ['int4/int4', 'int8/int8'],
    ),
    anyMinifloat: doc(
      z.boolean().optional(),
      'True for fabrics that build a unit for any minifloat: every unscaled float format up to 16 bits (custom eXmY included) counts as native.',
      false,
    ),
    energy: EnergyModel.optional(),
    extraMetrics: doc(
      z.array(z.enum(['macLuts'])).optional(),
      'Cost metrics this profile adds. macLuts (FPGA): estimated LUTs of the MAC units a layer needs, see CostMetric.',
      ['macLuts'],
    ),
    sources: doc(
      z.record(name(), text()),
      'The public source of each figure, keyed by the field it supports.',
      { memoryBandwidthGBps: 'NVIDIA T4 datasheet' },
    ),
  }),
  'A hardware cost model: bandwidth, peak rates, native formats and where each figure comes from.',
  {
    id: 'nvidia-t4',
    name: 'NVIDIA T4',
    memoryBandwidthGBps: 320,
    peakTeraOpsPerSecond: { fp16: 65, int8: 130, int4: 260 },
    nativeFormats: ['fp16', 'int8', 'int4'],
    defaultCandidates: ['int4/int4', 'int8/int8'],
    sources: { memoryBandwidthGBps: 'NVIDIA T4 datasheet' },
  },
));
export type HardwareProfile = z.infer<typeof HardwareProfile>;

export const HardwareList = component(
  'HardwareList',
  z.strictObject({
    hardware: doc(z.array(HardwareProfile), 'The built-in hardware profiles.', []),
  }),
  'The built-in hardware profiles.',
  { hardware: [] },
);
