import type { Candidate } from '../formats/candidate.js';
import { findFormat } from '../formats/registry.js';
import type { Layer } from '../model/model.js';
import { namedLayers } from '../namedLayers.js';
import type { PlanResult } from '../plan/planResult.js';
import { verdict } from '../targets/admission.js';
import { fusionGroups } from '../targets/fusion.js';
import { findRuntime, type ResolvedTarget } from '../targets/runtimes.js';
import { ggmlTypeOf } from './llamaCpp.js';
import type { PlanExport } from './planExports.js';

const GGML_FLOATS: Record<string, string> = { f16: 'fp16', bf16: 'bf16', f32: 'fp32' };

/**
 * A candidate as the llama-cpp export writes it: its weight as the ggml type the file names
 * (int4-g128 as q4_0, ...), its activations the model's own (ggml quantizes them itself).
 */
function asWritten(candidate: Candidate): Candidate {
  const type = ggmlTypeOf(candidate.weight.id);
  const weight = type === undefined ? undefined : findFormat(GGML_FLOATS[type] ?? type);
  const activation = findFormat('fp16')!;
  return weight ? { id: weight.id, weight, activation, weightOnly: true } : candidate;
}

/** What the readers of an export would do with a plan: what stops them loading it, and what they run otherwise than planned. */
export interface ReaderCheck {
  /** Each a sentence naming the layers: the reader would refuse the file (a 422). */
  refusals: string[];
  /** Each a sentence naming the layers: the reader loads the file but runs those layers otherwise than planned. */
  warnings: string[];
  /** With refusals or warnings, for a plan made without a target: how to plan for the reader. */
  hint?: string;
}

/**
 * The runtimes and checkpoints that read each export (HAWQ and csv check their own rules when
 * written). An AutoRound layer_config is checked as vLLM's compressed-tensors reader would take
 * its layers, as warnings only: AutoRound writes several checkpoint formats, and its docs advise
 * against planning fused layers apart for vLLM and SGLang (docs/step_by_step.md,
 * https://github.com/intel/auto-round).
 */
function readersOf(format: PlanExport): ResolvedTarget[] {
  if (format === 'autoround') format = 'llm-compressor';
  const readers: ResolvedTarget[] = [];
  for (const runtime of ['vllm', 'tensorrt-llm', 'llama.cpp']) {
    const target = findRuntime(runtime)!;
    for (const checkpoint of target.checkpoints) if (checkpoint.export === format) readers.push({ runtime: target, checkpoint });
  }
  return readers;
}

/** ggml's MXFP4 asserts on a row it cannot block (ggml_quantize_chunk), where the integer types fall back to another type. */
const ABORTS_ON_ROW = new Set(['mxfp4', 'nvfp4']);

/**
 * The plan against the readers of `format`: the plan's own target when it was made for one (a
 * check of what the planner enforced), else every runtime that reads the export. Split fusion
 * groups are refusals (vLLM raises on mixed shards, ModelOpt's exporter and TensorRT-LLM fuse them
 * too), as is a row llama.cpp's MXFP4 cannot block; schemes a reader does not run, and rows a
 * llama.cpp type falls back on, are warnings (the reader loads the layer unquantized or as another
 * type).
 */
export function checkReaders(format: PlanExport, plan: PlanResult): ReaderCheck {
  const readers = plan.target ? (plan.target.resolved.checkpoint.export === format ? [plan.target.resolved] : []) : readersOf(format);
  const advisory = format === 'autoround';
  const refusals: string[] = [];
  const warnings: string[] = [];
  if (readers.length === 0) return { refusals, warnings };
  const layerOf = new Map<string, Layer>(plan.model.layers.map((layer) => [layer.name, layer]));
  const candidateOf = new Map(plan.layers.map((layer) => [layer.name, layer.candidate]));
  for (const reader of readers) {
    const label = `${reader.runtime.name} (${reader.checkpoint.id})`;
    const byReason = new Map<string, { names: string[]; refuse: boolean }>();
    const note = (reason: string, name: string, refuse: boolean) => {
      const entry = byReason.get(reason);
      if (entry) entry.names.push(name);
      else byReason.set(reason, { names: [name], refuse });
    };
    for (const planned of plan.layers) {
      const layer = layerOf.get(planned.name) ?? { name: planned.name };
      const said = verdict(reader, layer, reader.checkpoint.id === 'gguf' ? asWritten(planned.candidate) : planned.candidate);
      if (!said.refused) continue;
      const rowBroken = said.scheme !== undefined;
      const refuse = rowBroken && reader.checkpoint.id === 'gguf' && ABORTS_ON_ROW.has(planned.candidate.weight.id);
      const gguf = reader.checkpoint.id === 'gguf';
      const consequence = refuse
        ? 'and llama-quantize aborts'
        : rowBroken
          ? gguf
            ? 'so llama-quantize stores another type there (tensor_type_fallback): they run otherwise than planned'
            : 'so the reader cannot load them as planned'
          : 'so they load otherwise than planned (unquantized, or the file is refused)';
      note(`${planned.candidate.id}: ${said.refused}, ${consequence}`, planned.name, refuse);
    }
    for (const group of fusionGroups(plan.model, reader.runtime.fusion)) {
      const ids = new Set(group.layers.map((name) => candidateOf.get(name)?.id));
      if (ids.size > 1) note(`${reader.runtime.name} fuses them (${group.rule}) and takes one format for the fused module, but the plan gives them ${[...ids].join(', ')}`, `{${group.layers.join(', ')}}`, true);
    }
    for (const [reason, { names, refuse }] of byReason) (refuse && !advisory ? refusals : warnings).push(`${label}: ${namedLayers(names)}: ${reason}`);
  }
  if (plan.target || (refusals.length === 0 && warnings.length === 0)) return { refusals, warnings };
  const targets = readers.map((reader) => `{"runtime": "${reader.runtime.id}", "checkpoint": "${reader.checkpoint.id}"}`).join(' or ');
  return { refusals, warnings, hint: `plan with "target": ${targets} to keep every layer to what the runtime runs` };
}
