import type { PlanResult } from '../plan/planResult.js';
import type { UnexportableLayer } from './unexportable.js';
import { commentText, pythonString } from './text.js';

/**
 * The activation quantizer feeding a weight module in HAWQ's quantized ResNets (their
 * named_modules(): quant_act feeds convbn1 and the identity conv, quant_act1 convbn2, quant_act2
 * convbn3; quant_input the first conv; quant_act_output the classifier), or undefined for a
 * module named otherwise.
 */
function activationKeyOf(key: string): string | undefined {
  if (/^quant_init(_block)?_convbn$/.test(key)) return 'quant_input';
  if (key === 'quant_output') return 'quant_act_output';
  const unit = /^(.+\.)quant_(identity_)?convbn(\d*)$/.exec(key);
  if (!unit) return undefined;
  const n = unit[2] ? 1 : Number(unit[3] || '1');
  return `${unit[1]}quant_act${n === 1 ? '' : n - 1}`;
}

/**
 * HAWQ's bit_config.py entry (https://github.com/Zhen-Dong/HAWQ: quant_train.py reads
 * bit_config_dict["bit_config_" + arch + "_" + quant_scheme] from bit_config.py): one plain int
 * per module (tuples are unsafe there). Keys are the layers' `aliases.hawq`, else their names,
 * written as Python string literals in printable ASCII (text.ts), so that the file holds no code
 * but the dict. HAWQ quantizes per-tensor integers only, so other weight formats are refused.
 * Where the keys follow HAWQ's ResNet naming, the activation quantizer feeding each conv gets the
 * plan's activation bits (the widest, where it feeds several) and every re-quantization
 * quant_act_int32 16, as HAWQ's shipped configs do; activations the plan leaves in floating
 * point, or modules named otherwise, keep HAWQ's default (QuantAct: 4 bits), and the file says so.
 */
export function hawqBitConfig(plan: PlanResult, problems: UnexportableLayer[]): string {
  const { modelName } = plan;
  const arch = modelName.replace(/[^A-Za-z0-9_]/g, '_');
  const weights: string[] = [];
  const activationBits = new Map<string, number>();
  const units = new Set<string>();
  const floatActivations: string[] = [];
  const unnamed: string[] = [];
  for (const layer of plan.layers) {
    const weight = layer.candidate.weight;
    if (weight.kind !== 'integer' || weight.blockSize !== null) {
      problems.push({ layer, reason: 'HAWQ quantizes weights to per-tensor or per-channel integers (int2..int8); exclude this candidate or export another format' });
      continue;
    }
    const key = layer.aliases?.hawq ?? layer.name;
    weights.push(`    ${pythonString(key)}: ${weight.elementBits},`);
    const activationKey = activationKeyOf(key);
    const activation = layer.candidate.activation;
    if (activationKey === undefined) unnamed.push(key);
    else if (activation.kind !== 'integer') floatActivations.push(key);
    else {
      activationBits.set(activationKey, Math.max(activationBits.get(activationKey) ?? 0, activation.elementBits));
      const unit = /^(.+\.)quant_/.exec(activationKey);
      units.add(unit ? `${unit[1]}quant_act_int32` : 'quant_act_int32');
    }
  }
  const notes: string[] = [];
  if (floatActivations.length > 0) notes.push(`# ${floatActivations.length} modules take weight-only candidates: their input activations are not set here and keep HAWQ's default (QuantAct, 4 bits).`);
  if (unnamed.length > 0) notes.push(`# ${unnamed.length} modules are not named as in HAWQ's ResNets (e.g. ${commentText(unnamed[0]!)}): their input activations keep HAWQ's default (QuantAct, 4 bits).`);
  const lines = [
    `# bitplan plan for ${commentText(modelName)}: ${plan.layers.length} layers, total sensitivity ${plan.totals.sensitivity === undefined ? 'unknown' : Number(plan.totals.sensitivity.toPrecision(6))}.`,
    '# Add to HAWQ bit_config.py and run quant_train.py -a <arch> --quant-scheme bitplan.',
    '# Weight bit-widths per module, then the activation quantizer feeding each (the plan\'s activation',
    '# bits) and each 32-bit re-quantization (16), as in HAWQ\'s shipped configs.',
    ...notes,
    `bit_config_dict["bit_config_${arch}_bitplan"] = {`,
    ...weights,
    ...[...activationBits].map(([key, bits]) => `    ${pythonString(key)}: ${bits},`),
    ...[...units].map((key) => `    ${pythonString(key)}: 16,`),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}
