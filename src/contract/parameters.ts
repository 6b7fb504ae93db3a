import { z } from 'zod';
import { PLAN_EXPORTS } from '../core/index.js';
import { described, doc } from './doc.js';

// The format parameters carry no example: Swagger UI fills a query field from its example, and a
// prefilled format would turn the page's first Execute into an export (or override the response
// type picked for a frontier). Exports and SVG are chosen explicitly.

/** Query of POST /v1/plans. */
export const PlanQuery = z.object({
  format: described(
    z.enum(PLAN_EXPORTS).optional(),
    'json (the Plan, default); hawq: a bit_config.py entry for HAWQ quant_train.py; modelopt: a ModelOpt MIXED_PRECISION hf_quant_config.json (vLLM, TensorRT-LLM); llama-cpp: a llama-quantize --tensor-type-file; llm-compressor: a recipe YAML for oneshot (a compressed-tensors checkpoint for vLLM); gptq: a GPTQModel quantize_config.json with dynamic overrides (vLLM); autoround: an AutoRound layer_config JSON; csv: one row per layer. Overrides the Accept header. The Bitplan-Usage header says how to use the file, Bitplan-Warning headers what its reader will run otherwise than planned; a plan the file cannot express, or its reader would refuse (layers it fuses planned apart), is a 422 not-exportable naming the layers. With a target, the plan keeps to the runtime reading that file.',
  ),
});

/** Query of POST /v1/frontiers. */
export const FrontierQuery = z.object({
  format: described(z.enum(['json', 'csv', 'svg']).optional(), 'json, csv or svg; overrides the Accept header (handy in a browser).'),
});

export const HardwareIdParams = z.object({ id: doc(z.string(), 'Profile id.', 'nvidia-t4') });
export const SeedNameParams = z.object({ name: doc(z.string(), 'Seed name.', 'resnet18-hawq-v3') });
export const ProblemSlugParams = z.object({ slug: doc(z.string(), 'Problem type slug, the last part of a problem\'s type.', 'infeasible') });
