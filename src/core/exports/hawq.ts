import type { PlanResult } from '../plan/planResult.js';
import type { UnexportableLayer } from './unexportable.js';
import { commentText, pythonString } from './text.js';

/**
 * HAWQ's bit_config.py entry (https://github.com/Zhen-Dong/HAWQ: quant_train.py reads
 * bit_config_dict["bit_config_" + arch + "_" + quant_scheme] from bit_config.py): one plain int per weight module (tuples are unsafe there).
 * Keys are the layers' `aliases.hawq`, else their names, written as Python string literals in
 * printable ASCII (text.ts), so that the file holds no code but the dict. HAWQ quantizes
 * per-tensor integers only, so other formats are refused.
 */
export function hawqBitConfig(plan: PlanResult, problems: UnexportableLayer[]): string {
  const { modelName } = plan;
  const arch = modelName.replace(/[^A-Za-z0-9_]/g, '_');
  const lines = [
    `# bitplan plan for ${commentText(modelName)}: ${plan.layers.length} layers, total sensitivity ${plan.totals.sensitivity}.`,
    '# Add to HAWQ bit_config.py and run quant_train.py -a <arch> --quant-scheme bitplan.',
    '# Weight bit-widths per module; HAWQ\'s shipped configs give the activation quantizer feeding',
    '# a conv the same bit-width as its weights.',
    `bit_config_dict["bit_config_${arch}_bitplan"] = {`,
  ];
  for (const layer of plan.layers) {
    const weight = layer.candidate.weight;
    if (weight.kind !== 'integer' || weight.blockSize !== null) {
      problems.push({ layer, reason: 'HAWQ quantizes weights to per-tensor or per-channel integers (int2..int8); exclude this candidate or export another format' });
      continue;
    }
    const key = layer.aliases?.hawq ?? layer.name;
    lines.push(`    ${pythonString(key)}: ${weight.elementBits},`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
