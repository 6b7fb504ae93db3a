import type { HardwareProfile } from './profile.js';
import { horowitzEnergy } from './horowitz.js';

/**
 * Built-in hardware profiles. Every figure is dense (no 2:4 sparsity) and cites, in `sources`,
 * the vendor document behind it and the public reproduction it was read from (the vendor PDFs
 * themselves were not opened; where reproductions disagree, the source says so).
 */
const ML_ENGINEERING = 'stas00/ml-engineering accelerator tables, https://github.com/stas00/ml-engineering/blob/master/compute/accelerator/README.md';
const ENERGY_NOTE = 'energy: 45 nm technology figures (Horowitz, ISSCC 2014), not this chip\'s own; they rank formats';

export const NVIDIA_T4: HardwareProfile = {
  id: 'nvidia-t4',
  name: 'NVIDIA T4 (Turing, TU104, 70 W)',
  memoryBandwidthGBps: 320,
  peakTeraOpsPerSecond: { fp32: 8.1, fp16: 65, int8: 130, int4: 260 },
  nativeFormats: ['fp32', 'fp16', 'int8', 'int4'],
  defaultCandidates: ['int4/int4', 'int8/int8'],
  energy: horowitzEnergy(['fp32', 'fp16', 'int8', 'int4']),
  sources: {
    memoryBandwidthGBps: 'NVIDIA T4 datasheet (https://www.nvidia.com/en-us/data-center/tesla-t4/) as reproduced by third parties; 5001 MHz x 2 x 256 bit / 8 = 320.06 GB/s from deviceQuery',
    peakTeraOpsPerSecond: 'NVIDIA T4 datasheet (https://www.nvidia.com/en-us/data-center/tesla-t4/), figures as reproduced by geektopia.es: FP32 8.1 TFLOPS, FP16 tensor core 65, INT8 130, INT4 260',
    nativeFormats: 'NVIDIA T4 (Turing) product material (https://www.nvidia.com/en-us/data-center/tesla-t4/): tensor cores take FP16, INT8, INT4; no TF32, BF16 or FP8',
    defaultCandidates: 'HAWQ-V3 (Yao et al., ICML 2021) plans T4 deployments with int4 and int8',
    energy: ENERGY_NOTE,
  },
};

export const NVIDIA_A100: HardwareProfile = {
  id: 'nvidia-a100',
  name: 'NVIDIA A100 SXM4 80 GB (Ampere, 400 W)',
  memoryBandwidthGBps: 2039,
  peakTeraOpsPerSecond: { fp32: 19.5, fp16: 312, bf16: 312, int8: 624, int4: 1248 },
  nativeFormats: ['fp32', 'fp16', 'bf16', 'int8', 'int4'],
  defaultCandidates: ['int4/int4', 'int8/int8', 'int4-g128/fp16', 'fp16/fp16'],
  energy: horowitzEnergy(['fp32', 'fp16', 'bf16', 'int8', 'int4']),
  sources: {
    memoryBandwidthGBps: 'NVIDIA A100 datasheet (https://www.nvidia.com/en-us/data-center/a100/) as reproduced at https://www.glennklockwood.com/garden/processors/A100: 2,039 GB/s (SXM4 80 GB)',
    peakTeraOpsPerSecond: `NVIDIA A100 datasheet and Ampere whitepaper (https://www.nvidia.com/en-us/data-center/a100/) as reproduced at https://www.glennklockwood.com/garden/processors/A100 and in ${ML_ENGINEERING}: FP32 19.5, FP16/BF16 tensor core 312, INT8 624, INT4 1248 dense`,
    nativeFormats: 'NVIDIA A100 Tensor Core GPU Architecture whitepaper (https://www.nvidia.com/en-us/data-center/a100/): TF32, BF16, FP16, INT8, INT4 tensor cores; no FP8',
    defaultCandidates: 'integer tensor-core formats plus weight-only int4 (GPTQ/AWQ style) and fp16',
    energy: ENERGY_NOTE,
  },
};

export const NVIDIA_H100: HardwareProfile = {
  id: 'nvidia-h100',
  name: 'NVIDIA H100 SXM5 80 GB (Hopper, 700 W)',
  memoryBandwidthGBps: 3350,
  peakTeraOpsPerSecond: { fp32: 67, fp16: 989.4, bf16: 989.4, 'fp8-e4m3': 1978.9, 'fp8-e5m2': 1978.9, int8: 1978.9 },
  nativeFormats: ['fp32', 'fp16', 'bf16', 'fp8-e4m3', 'fp8-e5m2', 'int8'],
  defaultCandidates: ['fp8-e4m3/fp8-e4m3', 'int8/int8', 'int4-g128/fp16', 'bf16/bf16'],
  energy: horowitzEnergy(['fp32', 'fp16', 'bf16', 'fp8-e4m3', 'fp8-e5m2', 'int8']),
  sources: {
    memoryBandwidthGBps: `NVIDIA H100 datasheet (https://www.nvidia.com/en-us/data-center/h100/) as reproduced at https://www.glennklockwood.com/garden/processors/H100 and in ${ML_ENGINEERING}: 3.35 TB/s`,
    peakTeraOpsPerSecond: `NVIDIA H100 datasheet and Hopper whitepaper (https://www.nvidia.com/en-us/data-center/h100/) as reproduced in ${ML_ENGINEERING}: FP32 67, FP16/BF16 989.4, FP8 1978.9, INT8 1978.9 dense (989.4 = 1830 MHz x 512 FMA per tensor core per clock x 2 x 528 tensor cores)`,
    nativeFormats: 'NVIDIA Hopper architecture (https://www.nvidia.com/en-us/data-center/h100/): TF32, BF16, FP16, FP8 E4M3/E5M2, INT8 tensor cores; no 4-bit MMA (maintainers of nunchaku, issue 381, and TileRT, issue 48), no MXFP8 datapath (https://github.com/NVIDIA/cudnn-frontend/pull/650)',
    defaultCandidates: 'FP8 and INT8 tensor-core formats, weight-only int4 and bf16',
    energy: ENERGY_NOTE,
  },
};

export const NVIDIA_B200: HardwareProfile = {
  id: 'nvidia-b200',
  name: 'NVIDIA B200 (Blackwell, HGX B200, 1,000 W)',
  memoryBandwidthGBps: 7700,
  peakTeraOpsPerSecond: {
    fp32: 75,
    fp16: 2250,
    bf16: 2250,
    'fp8-e4m3': 4500,
    'fp8-e5m2': 4500,
    'fp6-e3m2': 4500,
    'fp6-e2m3': 4500,
    'fp4-e2m1': 9000,
    int8: 4500,
    mxfp8: 4500,
    mxfp6: 4500,
    mxfp4: 9000,
    nvfp4: 9000,
  },
  nativeFormats: ['fp32', 'fp16', 'bf16', 'fp8-e4m3', 'fp8-e5m2', 'fp6-e3m2', 'fp6-e2m3', 'fp4-e2m1', 'int8', 'mxfp8', 'mxfp6', 'mxfp4', 'nvfp4'],
  defaultCandidates: ['nvfp4/nvfp4', 'mxfp4/mxfp4', 'fp8-e4m3/fp8-e4m3', 'bf16/bf16'],
  energy: horowitzEnergy(['fp32', 'fp16', 'bf16', 'fp8-e4m3', 'fp8-e5m2', 'fp6-e3m2', 'fp6-e2m3', 'fp4-e2m1', 'int8', 'mxfp8', 'mxfp6', 'mxfp4', 'nvfp4']),
  sources: {
    memoryBandwidthGBps: 'NVIDIA HGX B200 specifications (https://www.nvidia.com/en-us/data-center/hgx/) as reproduced at https://zdszero.github.io/Computer/Artificial_Intelligence/Hardware.html: 7.7 TB/s; the launch figure is 8 TB/s (https://www.glennklockwood.com/garden/processors/B200), sources disagree',
    peakTeraOpsPerSecond: 'NVIDIA HGX B200 specifications (https://www.nvidia.com/en-us/data-center/hgx/) as reproduced at https://zdszero.github.io/Computer/Artificial_Intelligence/Hardware.html and https://www.glennklockwood.com/garden/processors/B200, dense = sparse / 2: FP4 9 PF, FP6/FP8/INT8 4.5 P, FP16/BF16 2.25 PF, FP32 75 TF; block-scaled MX/NVFP4 run at their element format\'s rate',
    nativeFormats: 'PTX ISA tcgen05.mma kinds f16, tf32, f8f6f4 and block-scaled mxf8f6f4, mxf4, mxf4nvf4 (https://docs.nvidia.com/cuda/parallel-thread-execution/); no native INT4 (https://github.com/microsoft/superbenchmark/pull/680)',
    defaultCandidates: 'the block-scaled FP4 formats Blackwell introduced, FP8 and bf16',
    energy: ENERGY_NOTE,
  },
};

export const CPU_XEON_8480: HardwareProfile = {
  id: 'cpu-x86-amx',
  name: 'Generic x86 server CPU: Intel Xeon Platinum 8480+ (Sapphire Rapids, 56 cores, AMX), one socket',
  memoryBandwidthGBps: 307.2,
  peakTeraOpsPerSecond: { fp32: 7.17, bf16: 114.7, int8: 229.4 },
  nativeFormats: ['fp32', 'bf16', 'int8'],
  defaultCandidates: ['int8/int8', 'bf16/bf16'],
  energy: horowitzEnergy(['fp32', 'bf16', 'int8']),
  sources: {
    memoryBandwidthGBps: 'derived: 8 channels x DDR5-4800 x 8 bytes = 307.2 GB/s (Intel ARK, Xeon Platinum 8480+, https://ark.intel.com: 8 channels of DDR5-4800; ARK gives no bandwidth figure)',
    peakTeraOpsPerSecond: 'derived at 2.0 GHz base x 56 cores: AMX 2,048 INT8 and 1,024 BF16 ops per cycle per core (PyTorch, Leverage Intel AMX, citing Intel: https://pytorch.org/tutorials/recipes/amx.html), AVX-512 64 FP32 per cycle; the sustained AMX clock is not published, so these are upper bounds',
    nativeFormats: 'AMX on Sapphire Rapids takes BF16 and INT8 only (Phoronix, https://www.phoronix.com/review/intel-xeon-amx); FP32 on AVX-512',
    defaultCandidates: 'the formats AMX computes in',
    energy: ENERGY_NOTE,
  },
};

export const FPGA_VERSAL: HardwareProfile = {
  id: 'fpga-versal-vc1902',
  name: 'AMD Versal AI Core VC1902 (VCK190), custom MAC units in programmable logic',
  memoryBandwidthGBps: 25.6,
  peakTeraOpsPerSecond: { int8: 133 },
  nativeFormats: ['int2', 'int3', 'int4', 'int5', 'int6', 'int7', 'int8'],
  anyMinifloat: true,
  extraMetrics: ['macLuts'],
  defaultCandidates: ['int4/int4', 'int8/int8', 'fp8-e4m3/fp8-e4m3', 'fp6-e3m2/fp6-e3m2', 'fp4-e2m1/fp4-e2m1'],
  energy: horowitzEnergy(['int2', 'int3', 'int4', 'int5', 'int6', 'int7', 'int8']),
  sources: {
    memoryBandwidthGBps: '[D] assumes one 64-bit DDR4-3200 channel (3200 MT/s x 8 bytes); the VCK190 has DDR4 and LPDDR4 interfaces (AMD via digikey.com), their widths were not verified',
    peakTeraOpsPerSecond: 'INT8: the VC1902 AI Engine array, up to 133 INT8 TOPS (AMD Versal AI Core series figure, as quoted by pcbsync.com); programmable-logic minifloat units have no fixed peak, so latency on them needs a measured table or an inline profile with their rate',
    nativeFormats: 'programmable logic builds an integer or minifloat (eXmY) MAC unit of any width (Aggarwal et al., FPL 2024, arXiv:2311.12359, https://arxiv.org/abs/2311.12359)',
    extraMetrics: 'macLuts after the FPGA minifloat study (https://arxiv.org/abs/2311.12359): accumulator widths r_a + r_b + ceil(log2 n) + 1 (integer) and 2^e_a + m_a + 2^e_b + m_b + ceil(log2 n) - 1 (minifloat, exact accumulation); multiplier LUTs estimated as the product of significand widths (the study\'s LUT tables could not be retrieved)',
    defaultCandidates: 'integer and minifloat formats at 4 to 8 bits, the range the study compares',
    energy: ENERGY_NOTE,
  },
};

export const BUILT_IN_HARDWARE: readonly HardwareProfile[] = [NVIDIA_T4, NVIDIA_A100, NVIDIA_H100, NVIDIA_B200, CPU_XEON_8480, FPGA_VERSAL];

export function findHardware(id: string): HardwareProfile | undefined {
  return BUILT_IN_HARDWARE.find((profile) => profile.id === id);
}
