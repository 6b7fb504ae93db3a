import { isName } from '../../contract/doc.js';
import { ARRAY_MAX_LENGTH, OBJECT_MAX_KEYS } from './structure.js';

/**
 * Whether a layer as JSON.parse built it is one the contract's Layer schema accepts unchanged,
 * within the structure caps (checkStructure): then it is used as it is, without the structure
 * walk and zod's walk and copy, which for 45,000 layers cost a quarter of a second. False for
 * anything it does not confirm (weight statistics and aliases among them, any invalid field, any
 * object not plain), which those walks then check and report: the check may refuse a valid
 * layer, never accept an invalid one (plainLayer.test.ts holds it to the schema).
 */
export function isPlainValidLayer(layer: unknown): boolean {
  if (!isPlainObject(layer)) return false;
  let named = false;
  let counted = false;
  for (const key in layer) {
    const value = layer[key];
    switch (key) {
      case 'name':
        if (!isName(value)) return false;
        named = true;
        break;
      case 'op':
      case 'pin':
        if (!isName(value)) return false;
        break;
      case 'params':
        if (!(Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 1e15)) return false;
        counted = true;
        break;
      case 'macs':
      case 'activationElements':
        if (!(isNonNegative(value) && value <= 1e18)) return false;
        break;
      case 'dotProductLength':
      case 'inFeatures':
      case 'macUnits':
        if (!(Number.isSafeInteger(value) && (value as number) >= 1)) return false;
        break;
      case 'inputs':
        if (!isNameList(value, 0)) return false;
        break;
      case 'candidates':
        if (!isNameList(value, 1)) return false;
        break;
      case 'latencyMs':
        if (!isRecordOf(value, isNonNegative)) return false;
        break;
      case 'sensitivity':
        if (!isPlainValidSensitivity(value)) return false;
        break;
      default:
        return false;
    }
  }
  return named && counted;
}

function isPlainValidSensitivity(sensitivity: unknown): boolean {
  if (!isPlainObject(sensitivity)) return false;
  for (const key in sensitivity) {
    const value = sensitivity[key];
    switch (key) {
      case 'hessianTrace':
      case 'hessianTraceSum':
        if (!isFiniteNumber(value)) return false;
        break;
      case 'hessianTraceStdErr':
      case 'hessianEigenvalue':
      case 'activationTrace':
        if (!isNonNegative(value)) return false;
        break;
      case 'lossDelta':
        if (!isRecordOf(value, isFiniteNumber)) return false;
        break;
      case 'perturbation':
      case 'activationPerturbation':
      case 'lossDeltaStdErr':
        if (!isRecordOf(value, isNonNegative)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** An object JSON.parse could have built: its prototype Object.prototype. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isNonNegative(value: unknown): value is number {
  return isFiniteNumber(value) && value >= 0;
}

function isNameList(value: unknown, minLength: number): boolean {
  if (!Array.isArray(value) || value.length < minLength || value.length > ARRAY_MAX_LENGTH) return false;
  for (const element of value) if (!isName(element)) return false;
  return true;
}

function isRecordOf(value: unknown, isValue: (entry: unknown) => boolean): boolean {
  if (!isPlainObject(value)) return false;
  let keys = 0;
  for (const key in value) if (++keys > OBJECT_MAX_KEYS || key === '__proto__' || !isName(key) || !isValue(value[key])) return false;
  return true;
}
