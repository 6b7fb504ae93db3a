import { z } from 'zod';
import { RUNTIME_TARGETS } from '../core/targets/runtimes.js';
import { component, doc } from './doc.js';

const RUNTIME_IDS = RUNTIME_TARGETS.map((runtime) => runtime.id) as [string, ...string[]];
const CHECKPOINT_IDS = [...new Set(RUNTIME_TARGETS.flatMap((runtime) => runtime.checkpoints.map((checkpoint) => checkpoint.id)))] as [string, ...string[]];

const RuntimeId = doc(z.enum(RUNTIME_IDS), `A runtime (GET /v1/targets): ${RUNTIME_IDS.join(', ')}.`, 'vllm');

export const Target = component(
  'Target',
  z.union([
    RuntimeId,
    z.strictObject({
      runtime: RuntimeId,
      checkpoint: doc(
        z.enum(CHECKPOINT_IDS).optional(),
        'The checkpoint format the runtime reads the plan from (GET /v1/targets lists each runtime\'s). Default: the one ?format= writes when the runtime reads it, else the runtime\'s first.',
        'modelopt',
      ),
    }),
  ]),
  'The runtime the plan is for: a candidate its reader has no scheme for (on that layer kind and chip), or whose block or group does not divide the layer\'s row length (inFeatures), is left out with a warning, and layers it fuses (q/k/v_proj, gate/up_proj, the experts of one MoE layer) are tied to one format and listed in the answer\'s target.fusionGroups. Without it nothing is left out or tied, and an export warns or refuses (422 not-exportable) where its reader would not run the plan as made.',
  'vllm',
);
export type Target = z.infer<typeof Target>;

export const FusionGroupInfo = component(
  'FusionGroup',
  z.strictObject({
    rule: doc(z.enum(['projections', 'experts', 'gguf-tensors']), 'Why the runtime fuses them: sibling projections (packed, or reading the same input), the experts of one MoE layer, or one GGUF tensor.', 'projections'),
    layers: doc(z.array(z.string()), 'The layers, which the plan gives one format.', ['model.layers.0.self_attn.q_proj', 'model.layers.0.self_attn.k_proj', 'model.layers.0.self_attn.v_proj']),
  }),
  'Layers a runtime fuses into one module, tied to one format.',
  { rule: 'projections', layers: ['model.layers.0.mlp.gate_proj', 'model.layers.0.mlp.up_proj'] },
);

export const PlannedTarget = component(
  'PlannedTarget',
  z.strictObject({
    runtime: doc(z.string(), 'The runtime.', 'vllm'),
    checkpoint: doc(z.string(), 'The checkpoint format it reads.', 'compressed-tensors'),
    export: doc(z.string(), 'The ?format= that writes that checkpoint\'s configuration.', 'llm-compressor'),
    fusionGroups: doc(z.array(FusionGroupInfo), 'The layers tied because the runtime fuses them.', []),
  }),
  'The runtime the plan was made for, and what it tied.',
  { runtime: 'vllm', checkpoint: 'compressed-tensors', export: 'llm-compressor', fusionGroups: [] },
);

const SchemeInfo = z.strictObject({
  scheme: doc(z.string(), 'The runtime\'s or checkpoint\'s name for it.', 'W4A16'),
  weights: doc(z.array(z.string()), 'Weight formats it takes.', ['int4', 'int4-g128']),
  activations: doc(z.union([z.literal('unquantized'), z.array(z.string())]), 'Activation formats it takes, or unquantized (16/32-bit floats: a weight-only candidate).', 'unquantized'),
  kinds: doc(z.array(z.enum(['linear', 'embedding', 'head', 'conv', 'other'])), 'Layer kinds it runs on (embedding and head by name, conv and linear by op).', ['linear']),
  hardware: doc(z.array(z.string()).optional(), 'Built-in hardware ids it runs on; absent: any.', ['nvidia-h100']),
  hardwareNote: doc(z.string().optional(), 'Why, with its source.', 'compute capability 9.0 only'),
});

export const TargetList = component(
  'TargetList',
  z.strictObject({
    targets: z.array(
      z.strictObject({
        id: doc(z.string(), 'The id a request\'s target names.', 'vllm'),
        name: doc(z.string(), 'The runtime.', 'vLLM'),
        description: doc(z.string(), 'What it is and where it comes from.', ''),
        fusion: doc(z.array(z.string()), 'Fusion rules applied as ties.', ['projections', 'experts']),
        fusionNote: doc(z.string(), 'The fusion rules in words, with their sources.', ''),
        checkpoints: z.array(
          z.strictObject({
            id: doc(z.string(), 'The checkpoint format (the first is the default).', 'compressed-tensors'),
            export: doc(z.string(), 'The ?format= that writes it.', 'llm-compressor'),
            reader: doc(z.string(), 'Who reads it, with the source the rules were read from.', ''),
            rowRule: doc(z.string(), 'The shape rule: which row lengths (inFeatures) a block or group size needs.', ''),
            hint: doc(z.string(), 'What it runs, in brief.', ''),
            schemes: doc(z.array(SchemeInfo), 'What the reader executes: each scheme with its formats, layer kinds and chips.', []),
          }),
        ).meta({ description: 'The checkpoint formats it reads, the default first.', example: [] }),
      }),
    ).meta({ description: 'Every runtime target.', example: [] }),
  }),
  'The runtimes a plan can be made for (a request\'s target), with what each reader executes and fuses.',
  { targets: [] },
);
