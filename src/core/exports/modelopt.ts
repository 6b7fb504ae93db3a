import { BITPLAN_VERSION } from '../version.js';
import type { Candidate } from '../formats/candidate.js';
import type { PlanResult } from '../plan/planResult.js';
import { layerKind } from '../targets/layerKind.js';
import type { UnexportableLayer } from './unexportable.js';

type QuantAlgo = { quant_algo: string; group_size?: number; has_zero_point?: boolean; pre_quant_scale?: boolean };

const AWQ = { has_zero_point: false, pre_quant_scale: true };

/**
 * The per-layer entry of NVIDIA ModelOpt's mixed-precision hf_quant_config.json
 * (modelopt/torch/export/quant_utils.py process_layer_quant_config, https://github.com/NVIDIA/TensorRT-Model-Optimizer), or null for
 * a layer left unquantized (16/32-bit floats), or undefined when ModelOpt has no such format.
 */
export function modelOptAlgo(candidate: Candidate): QuantAlgo | null | undefined {
  const { weight: w, activation: a } = candidate;
  const wideFloat = (id: string) => id === 'fp16' || id === 'bf16' || id === 'fp32';
  if (wideFloat(w.id) && wideFloat(a.id)) return null;
  if (w.id === 'fp8-e4m3' && a.id === 'fp8-e4m3') return { quant_algo: 'FP8' };
  if (w.id === 'int8' && a.id === 'int8') return { quant_algo: 'W8A8_SQ_PER_CHANNEL' };
  if (w.id === 'int8' && wideFloat(a.id)) return { quant_algo: 'W8A16' };
  if (w.id === 'nvfp4' && a.id === 'nvfp4') return { quant_algo: 'NVFP4', group_size: 16 };
  if (w.id === 'nvfp4' && wideFloat(a.id)) return { quant_algo: 'W4A16_NVFP4', group_size: 16 };
  if (w.id === 'nvfp4' && a.id === 'fp8-e4m3') return { quant_algo: 'W4A8_NVFP4_FP8', group_size: 16 };
  if (w.id === 'mxfp4' && a.id === 'fp8-e4m3') return { quant_algo: 'W4A8_MXFP4_FP8', group_size: 32 };
  if (w.id === 'mxfp8' && a.id === 'mxfp8') return { quant_algo: 'MXFP8', group_size: 32 };
  if (w.kind === 'integer' && w.elementBits === 4 && w.blockSize !== null) {
    if (wideFloat(a.id)) return { quant_algo: 'W4A16_AWQ', group_size: w.blockSize, ...AWQ };
    if (a.id === 'fp8-e4m3') return { quant_algo: 'W4A8_AWQ', group_size: w.blockSize, ...AWQ };
  }
  return undefined;
}

/**
 * The plan as a ModelOpt MIXED_PRECISION hf_quant_config.json (keys: aliases.modelopt, else the
 * layer name). `producer.name` is "modelopt": vLLM recognises a ModelOpt checkpoint by it
 * (ModelOptQuantConfigBase, vllm/model_executor/layers/quantization/modelopt.py), so bitplan's
 * name and version go in `writer`. Embeddings and the output head go to exclude_modules: neither
 * vLLM nor TensorRT-LLM quantizes them from this file (the readers' check warns when the plan did).
 */
export function modelOptConfig(plan: PlanResult, problems: UnexportableLayer[]): string {
  const quantizedLayers: Record<string, QuantAlgo> = {};
  const excluded: string[] = [];
  const opOf = new Map(plan.model.layers.map((layer) => [layer.name, layer.op]));
  for (const layer of plan.layers) {
    const name = layer.aliases?.modelopt ?? layer.name;
    const kind = layerKind({ name: layer.name, op: opOf.get(layer.name) });
    if (kind === 'embedding' || kind === 'head') {
      excluded.push(name);
      continue;
    }
    const algo = modelOptAlgo(layer.candidate);
    if (algo === undefined) {
      problems.push({
        layer,
        reason: 'ModelOpt has no such format; it takes fp8-e4m3/fp8-e4m3, int8/int8, int8/fp16, int4-gN/fp16, int4-gN/fp8-e4m3, nvfp4/nvfp4, nvfp4/fp16, nvfp4/fp8-e4m3, mxfp4/fp8-e4m3, mxfp8/mxfp8 or 16/32-bit floats (unquantized)',
      });
    } else if (algo === null) {
      excluded.push(name);
    } else {
      quantizedLayers[name] = algo;
    }
  }
  const config = {
    producer: { name: 'modelopt', version: 'unknown' },
    writer: { name: 'bitplan', version: BITPLAN_VERSION },
    quantization: { quant_algo: 'MIXED_PRECISION', kv_cache_quant_algo: null, quantized_layers: quantizedLayers, ...(excluded.length > 0 ? { exclude_modules: excluded } : {}) },
  };
  return `${JSON.stringify(config, null, 4)}\n`;
}
