import type { HardwareProfile } from '../../contract/hardware.js';

const REF = 'shared/reference/formats-and-hardware.md';

export const NVIDIA_T4: HardwareProfile = {
  id: 'nvidia-t4',
  name: 'NVIDIA T4 (Turing, TU104, 70 W)',
  memoryBandwidthGBps: 320,
  peakTeraOpsPerSecond: { fp32: 8.1, fp16: 65, int8: 130, int4: 260 },
  nativeFormats: ['fp32', 'fp16', 'int8', 'int4'],
  defaultCandidates: ['int4/int4', 'int8/int8'],
  sources: {
    memoryBandwidthGBps: `NVIDIA T4 datasheet via sysrqmts.com; 5001 MHz x 2 x 256 bit / 8 = 320.06 GB/s (${REF} 2.1)`,
    peakTeraOpsPerSecond: `NVIDIA T4 datasheet figures reproduced by geektopia.es and a hewumars gist: FP32 8.1 TFLOPS, FP16 TC 65, INT8 130, INT4 260 (${REF} 2.1)`,
    nativeFormats: `Turing tensor cores: FP16, INT8, INT4; no TF32, BF16, FP8 (${REF} 4)`,
    defaultCandidates: 'HAWQ-V3 (Yao et al., ICML 2021) plans T4 deployments with int4 and int8',
  },
};

export const BUILT_IN_HARDWARE: readonly HardwareProfile[] = [NVIDIA_T4];

export function findHardware(id: string): HardwareProfile | undefined {
  return BUILT_IN_HARDWARE.find((profile) => profile.id === id);
}
