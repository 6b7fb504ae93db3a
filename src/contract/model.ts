import { z } from 'zod';
import { component, describes, doc, name, nonNegative } from './doc.js';
import type * as core from '../core/index.js';

export const WeightStats = describes<core.WeightStats>()(component(
  'WeightStats',
  z.strictObject({
    absMax: doc(nonNegative(), 'Largest absolute weight value of the layer.', 0.41),
    rms: doc(nonNegative(), 'Root mean square of the layer weights.', 0.03),
    count: doc(z.number().int().min(1).optional(), 'Number of weights the statistics cover. Default: the layer\'s params.', 36864),
    granularity: doc(
      z.enum(['per-tensor', 'per-channel']).optional(),
      'How integer formats without groups are scaled: one scale for the tensor (default) or one per output channel (then give channels). Grouped formats (int4-g128, ...) scale per group of their size.',
      'per-channel',
    ),
    channels: doc(z.number().int().min(1).optional(), 'Output channels, for per-channel scales.', 64),
  }),
  'Weight statistics of a layer, used to estimate a quantization perturbation that was neither measured nor extrapolable: n x step^2 / 12 for each format\'s grid (per-tensor or per-group integer steps from absMax, or from the group\'s expected maximum min(absMax, rms sqrt(2 ln g)); floating-point steps relative to the value, 2^(-2m) rms^2 / 24, plus the subnormal grid near zero). docs/evidence.md in the bitplan repository gives the derivation.',
  { absMax: 0.41, rms: 0.03 },
));

const perturbationMap = z.record(name(), nonNegative());

export const LayerSensitivity = describes<core.LayerSensitivity>()(component(
  'LayerSensitivity',
  z.strictObject({
    hessianTrace: doc(
      z.number().optional(),
      'Mean Hessian trace Tr(H)/n of the layer weights, n = params (HAWQ-V2/V3). Multiplied by perturbation[w] it scores weight format w. A negative estimate within 3 standard errors (hessianTraceStdErr) of 0 counts as 0, with a warning; one further below is a 400.',
      0.0686,
    ),
    hessianTraceSum: doc(
      z.number().optional(),
      'Tr(H) itself, as PyHessian reports it, instead of hessianTrace (which is Tr(H)/params).',
      2529.0,
    ),
    hessianTraceStdErr: doc(
      nonNegative().optional(),
      'Standard error of the trace given (hessianTrace or hessianTraceSum, in its units): from the spread of Hutchinson samples. Used for negative estimates and robust.z.',
      0.004,
    ),
    perturbation: doc(
      perturbationMap.optional(),
      'Squared quantization error ||Q_w(W) - W||^2 per weight format id. A missing integer format is extrapolated from a measured one by the uniform-noise law (squared error proportional to 1/(2^(b-1)-1)^2), with a warning.',
      { int4: 6.743, int8: 0.0235 },
    ),
    hessianEigenvalue: doc(
      nonNegative().optional(),
      'Top Hessian eigenvalue of the layer (HAWQ-V1). Used in place of hessianTrace when that is absent.',
      12.5,
    ),
    lossDelta: doc(
      z.record(name(), z.number()).optional(),
      'Measured loss change when only this layer takes the candidate, per candidate id (Hubara et al., AIMET, MCT). Preferred over the Hessian score when present. Values that grow with precision within one format family (int8/int8 measured worse than int4/int4; formats of different families are not compared), or lie below 0, are warned and (unless evidence.lossDelta is raw) projected onto the nearest values that do not.',
      { 'int4/int4': 0.012 },
    ),
    lossDeltaStdErr: doc(
      z.record(name(), nonNegative()).optional(),
      'Standard error of each measured loss change, per candidate id (across calibration batches). Weights the projection and robust.z.',
      { 'int4/int4': 0.003 },
    ),
    activationTrace: doc(
      nonNegative().optional(),
      'Mean Hessian trace with respect to the layer input activations (HAWQ-V2). Adds activationTrace x activationPerturbation[a] for activation format a.',
      0.0021,
    ),
    activationPerturbation: doc(
      perturbationMap.optional(),
      'Squared quantization error of the input activations per activation format id.',
      { int4: 1.9, int8: 0.0071 },
    ),
    weightStats: WeightStats.optional(),
  }),
  'Evidence about how much quantizing this layer hurts. Used in the order lossDelta, then hessianTrace (else hessianEigenvalue) x perturbation (+ the activation term); a perturbation not given is extrapolated (integer formats, uniform-noise law) or estimated from weightStats, and the plan says so. When no layer has a loss-side measurement (lossDelta, hessianTrace, hessianEigenvalue, activationTrace) and the model has no interactions, weightStats alone score each candidate by its relative weight error ||Q(W)-W||^2/||W||^2, every layer taken as equally sensitive (the linearity theorem with one alpha, https://arxiv.org/abs/2411.17525), with a warning: a data-free plan that ranks formats but predicts no loss change.',
  { hessianTrace: 0.0686, perturbation: { int4: 6.743, int8: 0.0235 } },
));

export const Layer = describes<core.Layer>()(component(
  'Layer',
  z.strictObject({
    name: doc(name(), 'Unique layer name, as the quantization toolkit knows it (1-256 visible characters: no newlines, tabs or other control or invisible characters).', 'stage1.unit1.conv1'),
    op: doc(name().optional(), 'Operator kind, informational (conv2d, linear, matmul, ...).', 'conv2d'),
    params: doc(z.number().int().nonnegative().max(1e15), 'Number of weight elements (at most 1e15).', 36864),
    macs: doc(
      nonNegative().max(1e18).optional(),
      'Multiply-accumulates per inference of one sample (at most 1e18). Needed by the costs that count operations (bops, roofline latencyMs, energyJ); a size-only plan can omit it.',
      115605504,
    ),
    activationElements: doc(
      nonNegative().max(1e18).optional(),
      'Activation elements the layer reads and writes per sample (input + output). The roofline and energy models move them in the activation format; without it only weight traffic is counted.',
      401408,
    ),
    dotProductLength: doc(
      z.number().int().min(1).optional(),
      'Length of each dot product (input channels x kernel area for a conv, input features for a linear); sets the accumulator width of macLuts. Default 4096.',
      576,
    ),
    inFeatures: doc(
      z.number().int().min(1).optional(),
      'Length of one weight row, the dimension quantization blocks and groups run along: in_features of a linear layer, in_channels / groups x kernel height x width of a convolution, the embedding width of an embedding (what llama.cpp calls ne[0]). With a target, a candidate whose block or group does not divide it is left out (int4-g128 needs a multiple of 128, nvfp4 of 16, mxfp4 and q4_0 of 32, k-quants of 256).',
      4096,
    ),
    macUnits: doc(
      z.number().int().min(1).optional(),
      'MAC units an FPGA dataflow design gives this layer (macLuts multiplies by it). Default 1.',
      16,
    ),
    inputs: doc(
      z.array(name()).optional(),
      'Names of the producer layers whose outputs this layer reads.',
      ['stem.relu'],
    ),
    sensitivity: LayerSensitivity.optional(),
    latencyMs: doc(
      z.record(name(), nonNegative()).optional(),
      'Measured latency of this layer per candidate id, in milliseconds (or the unit of your measurements; budgets use the same unit).',
      { 'int4/int4': 0.21, 'int8/int8': 0.36 },
    ),
    candidates: doc(
      z.array(name()).min(1).optional(),
      'Candidates this layer may take. Omit to allow every candidate of the request or the hardware profile.',
      ['int4/int4', 'int8/int8'],
    ),
    pin: doc(name().optional(), 'Fix this layer to one candidate (for example the first conv at int8/int8).', 'int8/int8'),
    aliases: doc(
      z
        .strictObject({
          hawq: name().optional().meta({ description: 'Module name in HAWQ\'s bit_config.py (e.g. stage1.unit1.quant_convbn1).', example: 'stage1.unit1.quant_convbn1' }),
          modelopt: name().optional().meta({ description: 'Module name in a ModelOpt hf_quant_config.json.', example: 'model.layers.0.self_attn.q_proj' }),
          gguf: name().optional().meta({ description: 'GGUF tensor name for llama.cpp, without .weight.', example: 'blk.0.attn_q' }),
        })
        .optional(),
      'Names of this layer in the toolkits the plan exports to (?format=hawq, modelopt, llama-cpp); by default the layer name (and for llama.cpp the GGUF name mapped from a Hugging Face name).',
      { hawq: 'stage1.unit1.quant_convbn1' },
    ),
  }),
  'One quantizable layer of the model.',
  {
    name: 'stage1.unit1.conv1',
    op: 'conv2d',
    params: 36864,
    macs: 115605504,
    sensitivity: { hessianTrace: 0.0686, perturbation: { int4: 6.743, int8: 0.0235 } },
    latencyMs: { 'int4/int4': 0.21, 'int8/int8': 0.36 },
    candidates: ['int4/int4', 'int8/int8'],
  },
));
export type Layer = z.infer<typeof Layer>;

/** Names of layers that take one candidate together. */
export const LayerGroup = z.array(name()).min(2);

export const Interaction = describes<core.Interaction>()(component(
  'Interaction',
  z.strictObject({
    layers: doc(z.tuple([name(), name()]), 'The two layers, by name.', ['features.5.0', 'features.6.0']),
    delta: doc(
      z.record(name(), z.number()),
      'The interaction term per pair of candidates, keyed "<candidate of the first layer>|<candidate of the second>": t = L(both quantized together) - L(first alone) - L(second alone) + L(float), in the units of the layers\' sensitivities (measured loss changes). Absent combinations are 0.',
      { 'int2|int2': 0.041, 'int2|int3': 0.012 },
    ),
    stdErr: doc(
      z.record(name(), nonNegative()).optional(),
      'Standard error of each term (across calibration batches), keyed like delta: robust.z adds z of them, and a plan relying on negative terms beyond them is warned.',
      { 'int2|int2': 0.006 },
    ),
  }),
  'A measured pairwise interaction ("Augmenting Hessians with Inter-Layer Dependencies", CLADO): the plan\'s predicted sensitivity is the sum of its layers\' plus the terms of its chosen pairs.',
  { layers: ['features.5.0', 'features.6.0'], delta: { 'int2|int2': 0.041 } },
));

export const ModelDescriptor = describes<core.ModelDescriptor>()(component(
  'ModelDescriptor',
  z.strictObject({
    name: doc(name(), 'Model name (1-256 visible characters).', 'resnet18'),
    precision: doc(
      name().optional(),
      'The format the model runs in: a weight-only candidate (a bare weight format such as int4 or int4-g128) quantizes the weights and leaves activations in it. Default fp16.',
      'bf16',
    ),
    layers: doc(z.array(Layer).min(1), 'The quantizable layers, in graph order.', [
      { name: 'conv1', params: 9408, macs: 118013952, pin: 'int8/int8' },
    ]),
    groups: doc(
      z.array(LayerGroup).optional(),
      'Groups of layer names that must take the same candidate (layers sharing one quantized input, or one weight tensor used by several modules). A tied layer may omit its sensitivity when another layer of its group has some: the group\'s evidence scores the choice (its source is `none (tied)`).',
      [['stage2.unit1.conv1', 'stage2.unit1.shortcut']],
    ),
    interactions: doc(
      z.array(Interaction).optional(),
      'Measured pairwise terms added to the layers\' sensitivities (at most 4,096 pairs, each pair once). With them the objective must be sensitivity; `interactions.negative` in the request says what negative terms may do.',
      [{ layers: ['features.5.0', 'features.6.0'], delta: { 'int2|int2': 0.041 } }],
    ),
    unplanned: doc(
      z
        .strictObject({
          params: doc(z.number().int().min(0).max(1e15), 'Elements of the tensors not planned.', 1024),
          tensors: doc(z.array(name()).max(4096), 'Their names (the first 4,096).', ['conv1.bias', 'bn1.weight']),
        })
        .optional(),
      'What the model holds besides the planned layers (biases, norms, 1-D tensors), which stays in the model\'s precision: not in any layer\'s params, so not in sizeBytes or avgBits. bitplan.torch.describe fills it; the plan repeats the count in a warning.',
      { params: 1024, tensors: ['conv1.bias'] },
    ),
  }),
  'A model layer graph with per-layer sensitivity evidence.',
  {
    name: 'tiny',
    layers: [
      { name: 'conv1', params: 9408, macs: 118013952, pin: 'int8/int8' },
      {
        name: 'conv2',
        params: 36864,
        macs: 115605504,
        sensitivity: { hessianTrace: 0.0686, perturbation: { int4: 6.743, int8: 0.0235 } },
        candidates: ['int4/int4', 'int8/int8'],
      },
    ],
  },
));
export type ModelDescriptor = z.infer<typeof ModelDescriptor>;
