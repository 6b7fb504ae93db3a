import { invalidInput } from '../errors.js';
import { ggufName } from '../exports/ggufNames.js';
import type { Layer, ModelDescriptor } from '../model/model.js';
import type { CheckpointTensor, TensorTable } from './tensorTable.js';
import { keptInModelPrecision, tensorRole } from './tensorRoles.js';

/** A checkpoint's descriptor, and what the description could not know (said to the user). */
export interface DescribedCheckpoint {
  model: ModelDescriptor;
  notes: string[];
}

/** Model precisions by the dtype names of safetensors and GGUF. */
const PRECISION: Record<string, string> = { F16: 'fp16', BF16: 'bf16', F32: 'fp32' };
/** The longest name a descriptor takes (the contract's name()). */
const NAME_CHARS = 256;

/**
 * The ModelDescriptor of a checkpoint from its tensor table alone (no weights read): one layer
 * per 2-D weight (and per stacked-experts 3-D weight of a GGUF file) with its params, per-token
 * MACs of a matrix (a routed expert's scaled by the share of tokens it sees), row length, the
 * input it reads (so that a runtime target fuses q/k/v and gate/up), and its GGUF name; every
 * other tensor (norms, biases, routers, packed quantized weights) counted in `unplanned`.
 */
export function describeTensorTable(table: TensorTable): DescribedCheckpoint {
  const notes: string[] = [];
  const layers: (Layer & { rank: number })[] = [];
  const unplanned: CheckpointTensor[] = [];
  const dtypes = new Map<string, number>();
  const share = table.expertsPerToken && table.experts ? table.expertsPerToken / table.experts : undefined;
  let expertsUnscaled = 0;
  let unknownNames = 0;
  let notMatrices = 0;
  for (const tensor of table.tensors) {
    const module = tensor.name.endsWith('.weight') ? tensor.name.slice(0, -'.weight'.length) : undefined;
    const matrix = matrixOf(tensor, table.layout);
    if (!module || !matrix || keptInModelPrecision(module) || module.length > NAME_CHARS) {
      if (module && tensor.shape.length > 2 && !matrix) notMatrices++;
      unplanned.push(tensor);
      continue;
    }
    const role = tensorRole(module, table.layout);
    if (!role) unknownNames++;
    const { out, inFeatures, stacked } = matrix;
    const embedding = role?.input === 'input_ids';
    // Stacked experts (GGUF): each token reaches expertsPerToken of them; one expert's tensor (safetensors): that share of the tokens.
    let active = 1;
    if (stacked) active = table.expertsPerToken ?? stacked;
    else if (role?.routedExpert) active = share ?? 1;
    if ((stacked && table.expertsPerToken === undefined) || (role?.routedExpert && !stacked && share === undefined)) expertsUnscaled++;
    dtypes.set(tensor.dtype, (dtypes.get(tensor.dtype) ?? 0) + 1);
    const alias = table.layout === 'gguf' ? module : ggufName(module);
    layers.push({
      rank: embedding ? 0 : role?.input === 'model.norm' || role?.input === 'output_norm' ? 2 : 1,
      name: module,
      op: embedding ? 'embedding' : 'linear',
      params: out * inFeatures * (stacked ?? 1),
      macs: embedding ? 0 : out * inFeatures * active,
      inFeatures,
      ...(embedding ? {} : { dotProductLength: inFeatures, activationElements: inFeatures + out }),
      ...(role ? { inputs: [role.input] } : {}),
      ...(alias ? { aliases: { gguf: alias } } : {}),
    });
  }
  if (layers.length === 0) {
    throw invalidInput([{ path: '(checkpoint)', message: `none of its ${table.tensors.length} tensors is a 2-D weight (a name ending in .weight) to plan; a checkpoint already quantized (GPTQ qweight, AWQ) cannot be described from its tensors` }]);
  }
  layers.sort((x, y) => x.rank - y.rank || compareGraphOrder(graphOrder(x.name), graphOrder(y.name)));
  const [dtype, count] = [...dtypes].sort((x, y) => y[1] - x[1])[0]!;
  const precision = PRECISION[dtype.toUpperCase()];
  if (!precision) notes.push(`the weights are ${dtype} (${count} of ${layers.length}), not a float format bitplan knows as the model precision: precision is left to the default (fp16); set it to what the model runs in`);
  if (expertsUnscaled > 0) notes.push(`${expertsUnscaled} routed-expert layers count the MACs of every token (the share each expert sees is unknown): give config.json's num_experts_per_tok and n_routed_experts (or GGUF's expert_used_count) for per-token MACs`);
  if (unknownNames > 0) notes.push(`${unknownNames} layers have names no naming scheme here knows (Llama, Mistral, Qwen2, Mixtral, DeepSeek): they carry no inputs, so a runtime target fuses none of them`);
  if (notMatrices > 0) notes.push(`${notMatrices} weights of more than two dimensions (convolutions, stacked experts of a safetensors file) are not planned`);
  const unplannedParams = unplanned.reduce((sum, tensor) => sum + tensor.shape.reduce((product, n) => product * n, 1), 0);
  const model: ModelDescriptor = {
    name: table.name.slice(0, NAME_CHARS),
    ...(precision ? { precision } : {}),
    layers: layers.map(({ rank: _rank, ...layer }) => layer),
    ...(unplanned.length > 0 ? { unplanned: { params: unplannedParams, tensors: unplanned.slice(0, 4096).map((tensor) => tensor.name.slice(0, NAME_CHARS)) } } : {}),
  };
  return { model, notes };
}

/** A weight as a matrix: rows (out), row length (in) and, for stacked experts, how many. */
function matrixOf(tensor: CheckpointTensor, layout: 'safetensors' | 'gguf'): { out: number; inFeatures: number; stacked?: number } | undefined {
  const { shape } = tensor;
  if (shape.some((n) => !Number.isSafeInteger(n) || n < 1)) return undefined;
  if (shape.length === 2) return layout === 'gguf' ? { inFeatures: shape[0]!, out: shape[1]! } : { out: shape[0]!, inFeatures: shape[1]! };
  // ggml stacks a layer's experts in one tensor: ne = [in, out, experts].
  if (shape.length === 3 && layout === 'gguf' && /_exps\.weight$/.test(tensor.name)) return { inFeatures: shape[0]!, out: shape[1]!, stacked: shape[2]! };
  return undefined;
}

/** Where a projection comes in its block: attention (q, k, v, their low-rank halves, o), then the MLP (gate, up, down). */
const STAGES: [RegExp, number][] = [
  [/(\.q_proj|\.attn_q|\.attn_qkv|\.q_a_proj|\.attn_q_a)$/, 0],
  [/(\.k_proj|\.attn_k|\.kv_a_proj_with_mqa|\.attn_kv_a_mqa)$/, 1],
  [/(\.v_proj|\.attn_v)$/, 2],
  [/(\.q_b_proj|\.attn_q_b)$/, 3],
  [/(\.kv_b_proj|\.attn_kv_b)$/, 4],
  [/(\.o_proj|\.attn_output)$/, 5],
  [/(\.gate_proj|\.w1|\.ffn_gate(_exps|_shexp)?)$/, 6],
  [/(\.up_proj|\.w3|\.ffn_up(_exps|_shexp)?)$/, 7],
  [/(\.down_proj|\.w2|\.ffn_down(_exps|_shexp)?)$/, 8],
];

/** A layer's place in the forward pass: its block, attention before the MLP, routed experts in order, shared experts after them. */
function graphOrder(name: string): (number | string)[] {
  const block = Number(/(?:^|\.)(?:layers|blk)\.(\d+)\./.exec(name)?.[1] ?? -1);
  const stage = STAGES.find(([pattern]) => pattern.test(name))?.[1] ?? 9;
  const expert = /\.shared_experts?\.|_shexp$/.test(name) ? Number.MAX_SAFE_INTEGER : Number(/\.experts\.(\d+)\./.exec(name)?.[1] ?? -1);
  return [block, stage < 6 ? 0 : 1, stage < 6 ? -1 : expert, stage, name];
}

function compareGraphOrder(x: (number | string)[], y: (number | string)[]): number {
  for (let i = 0; i < x.length; i++) {
    const a = x[i]!;
    const b = y[i]!;
    if (a !== b) return typeof a === 'number' && typeof b === 'number' ? a - b : naturalOrder(String(a), String(b));
  }
  return 0;
}

/** Names compared piece by piece, runs of digits as numbers and the rest by code unit (no locale: the Python package orders the same). */
function naturalOrder(x: string, y: string): number {
  const pieces = (text: string) => text.split(/(\d+)/);
  const a = pieces(x);
  const b = pieces(y);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    // split() puts digits at odd indices.
    if (i % 2 === 1) return Number(a[i]) - Number(b[i]) || (a[i]! < b[i]! ? -1 : 1);
    return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}
