import type { Seed } from './seed.js';
import type { Layer } from '../model/model.js';

/** The shape of seeds/hawq-v3/*.json (HAWQ-V3's ILP notebook arrays; see its README). */
export interface HawqV3Data {
  model: string;
  source: string;
  pinnedToInt8: {
    first: { name: string; hawqKey: string; params: number; macs: number };
    last: { name: string; hawqKey: string; params: number; macs: number };
  };
  ties: string[][];
  layers: {
    name: string;
    hawqKey: string;
    params: number;
    macs: number;
    hutchinsonTrace: number;
    deltaWeightSq: { int8: number; int4: number };
    latencyT4: { int8: number; int4: number };
  }[];
  publishedBitConfigs?: Record<string, Record<string, number>>;
}

export const HAWQ_CANDIDATES = ['int4/int4', 'int8/int8'];

/**
 * A ModelDescriptor of HAWQ-V3's published ILP: the inner layers with their Hessian traces,
 * int4/int8 squared quantization errors and T4 latencies; the first conv and the last fc
 * (outside the published ILP) pinned to int8/int8; tied pairs as groups. Activations take the
 * weights' bit-width, as in HAWQ-V3's shipped configurations.
 */
export function hawqV3Seed(data: HawqV3Data): Seed {
  const bottleneck = data.layers.some((layer) => layer.name.endsWith('.convbn3'));
  const inner: Layer[] = data.layers.map((layer) => ({
    name: layer.name,
    op: 'conv2d',
    params: layer.params,
    macs: layer.macs,
    inFeatures: layer.params / resNetOutChannels(layer.name, bottleneck),
    sensitivity: {
      hessianTrace: layer.hutchinsonTrace,
      perturbation: { int4: layer.deltaWeightSq.int4, int8: layer.deltaWeightSq.int8 },
    },
    latencyMs: { 'int4/int4': layer.latencyT4.int4, 'int8/int8': layer.latencyT4.int8 },
    candidates: HAWQ_CANDIDATES,
    aliases: { hawq: layer.hawqKey },
  }));
  const { first, last } = data.pinnedToInt8;
  return {
    name: `${data.model}-hawq-v3`,
    description: `${data.model} (ImageNet, 224x224) with HAWQ-V3's per-layer Hessian traces, int4/int8 quantization errors and NVIDIA T4 latencies`,
    provenance: {
      source: `${data.source}; Yao, Dong et al., "HAWQ-V3: Dyadic Neural Network Quantization", ICML 2021, https://arxiv.org/abs/2011.10680`,
      synthetic: false,
      notes:
        'sensitivity = mean Hessian trace x ||W - Q(W)||^2 as published; first conv and last fc pinned to int8/int8 (outside the published ILP); downsampling conv1 and its shortcut tied; latencyMs holds the T4 table in the relative unit of the source (TVM, batch 8); the pinned layers have no latency entry.',
    },
    model: {
      name: data.model,
      layers: [
        // The 7x7 stem reads 3 channels; the classifier 1,000 classes.
        { name: first.name, op: 'conv2d', params: first.params, macs: first.macs, inFeatures: 3 * 7 * 7, pin: 'int8/int8', aliases: { hawq: first.hawqKey } },
        ...inner,
        { name: last.name, op: 'linear', params: last.params, macs: last.macs, inFeatures: last.params / 1000, pin: 'int8/int8', aliases: { hawq: last.hawqKey } },
      ],
      groups: data.ties,
    },
  };
}

/**
 * Output channels of a ResNet conv (torchvision/HAWQ layout, He et al., arXiv:1512.03385): stage s
 * has width 64 x 2^(s-1); a bottleneck's last conv and its shortcut expand it 4x. A row of the
 * weight then holds params / outChannels = in_channels x kernel area elements.
 */
function resNetOutChannels(name: string, bottleneck: boolean): number {
  const stage = Number(/^stage(\d+)\./.exec(name)?.[1] ?? 1);
  const width = 64 * 2 ** (stage - 1);
  return bottleneck && /\.(convbn3|identity_convbn)$/.test(name) ? 4 * width : width;
}
