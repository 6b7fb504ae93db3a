import type { PlannedLayer } from '../plan/planResult.js';

/**
 * The Hugging Face module name a layer's export keys on: aliases.modelopt (ModelOpt, llm-compressor,
 * GPTQModel and AutoRound all name modules as model.named_modules() does), else the layer's name.
 */
export function hfModuleName(layer: Pick<PlannedLayer, 'name' | 'aliases'>): string {
  return layer.aliases?.modelopt ?? layer.name;
}

/** 16/32-bit floats: the layer stays unquantized in every toolkit. */
export const WIDE_FLOATS: ReadonlySet<string> = new Set(['fp16', 'bf16', 'fp32']);
