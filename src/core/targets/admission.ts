import type { Candidate } from '../formats/candidate.js';
import type { Layer } from '../model/model.js';
import { namedLayers } from '../namedLayers.js';
import type { CheckpointRules, SchemeRule } from './checkpoints.js';
import { layerKind, type LayerKind } from './layerKind.js';
import type { ResolvedTarget } from './runtimes.js';

const UNQUANTIZED_ACTIVATIONS = new Set(['fp16', 'bf16', 'fp32']);

/** The schemes of a checkpoint that take this candidate's weight and activation formats. */
export function schemesFor(checkpoint: CheckpointRules, candidate: Candidate): SchemeRule[] {
  return checkpoint.schemes.filter(
    (rule) =>
      rule.weights.includes(candidate.weight.id) &&
      (rule.activations === 'unquantized' ? UNQUANTIZED_ACTIVATIONS.has(candidate.activation.id) : rule.activations.includes(candidate.activation.id)),
  );
}

/** What the target says of one layer at one candidate. */
export interface Verdict {
  /** Why the runtime cannot run it as planned; undefined when it can. */
  refused?: string;
  /** The scheme it runs as. */
  scheme?: string;
  /** The candidate needs a row multiple the layer does not state (no inFeatures): unchecked. */
  rowUnknown?: number;
}

/** Whether the target runs `candidate` on `layer` (its kind, row length and the chip). */
export function verdict(target: ResolvedTarget, layer: Pick<Layer, 'name' | 'op' | 'inFeatures'>, candidate: Candidate, hardwareId?: string, kind: LayerKind = layerKind(layer)): Verdict {
  const { runtime, checkpoint } = target;
  const rules = schemesFor(checkpoint, candidate);
  if (rules.length === 0) return { refused: `${runtime.name} reading ${checkpoint.id} has no scheme for ${candidate.id}` };
  const onKind = rules.filter((rule) => rule.kinds.includes(kind));
  if (onKind.length === 0) {
    const kinds = [...new Set(rules.flatMap((rule) => rule.kinds))].join(' and ');
    return { refused: `${runtime.name} runs ${candidate.id} on ${kinds} layers only, and loads ${kind} layers unquantized (fp16, bf16, fp32)` };
  }
  const onChip = onKind.filter((rule) => !rule.hardware || hardwareId === undefined || rule.hardware.includes(hardwareId));
  if (onChip.length === 0) return { refused: `${runtime.name} runs ${onKind[0]!.scheme} only on ${onKind[0]!.hardware!.join(', ')} (${onKind[0]!.hardwareNote ?? 'its kernels'})` };
  const scheme = onChip[0]!.scheme;
  const multiple = checkpoint.rowMultiple(candidate.weight);
  if (multiple === undefined || multiple <= 1) return { scheme };
  if (layer.inFeatures === undefined) return { scheme, rowUnknown: multiple };
  if (layer.inFeatures % multiple !== 0) return { refused: `${candidate.weight.id} needs a row length that is a multiple of ${multiple}, and the layer's inFeatures is ${layer.inFeatures}`, scheme };
  return { scheme };
}

/**
 * The target's filter over every layer's candidates: what it leaves out and why, said once per
 * reason with the layers it concerns. Layers of one kind and row length with one candidate list
 * share the answer (a 45,000-layer model has a handful of such shapes).
 */
export class TargetAdmission {
  private readonly cache = new Map<readonly Candidate[], Map<string, { kept: Candidate[]; refused: { candidate: Candidate; reason: string }[]; unknownRow: boolean }>>();
  private readonly leftOut = new Map<string, string[]>();
  private readonly unchecked: string[] = [];

  constructor(
    readonly target: ResolvedTarget,
    private readonly hardwareId?: string,
  ) {}

  /** The candidates the target runs on this layer, in the given order; left-out ones are noted for the warning. */
  filter(layer: Layer, candidates: readonly Candidate[]): { kept: Candidate[]; refused: { candidate: Candidate; reason: string }[] } {
    const kind = layerKind(layer);
    let byShape = this.cache.get(candidates);
    if (!byShape) this.cache.set(candidates, (byShape = new Map()));
    const key = `${kind}|${layer.inFeatures ?? ''}`;
    let answer = byShape.get(key);
    if (!answer) {
      const kept: Candidate[] = [];
      const refused: { candidate: Candidate; reason: string }[] = [];
      let unknownRow = false;
      for (const candidate of candidates) {
        const said = verdict(this.target, layer, candidate, this.hardwareId, kind);
        if (said.refused) refused.push({ candidate, reason: said.refused });
        else kept.push(candidate);
        if (said.rowUnknown) unknownRow = true;
      }
      byShape.set(key, (answer = { kept, refused, unknownRow }));
    }
    if (answer.kept.length > 0) {
      for (const { candidate, reason } of answer.refused) {
        const note = `${candidate.id}: ${reason}`;
        const names = this.leftOut.get(note);
        if (names) names.push(layer.name);
        else this.leftOut.set(note, [layer.name]);
      }
    }
    if (answer.unknownRow) this.unchecked.push(layer.name);
    return answer;
  }

  /** The message of a layer none of whose candidates the target runs. */
  noneLeft(refused: readonly { candidate: Candidate; reason: string }[]): string {
    return `${this.label()} runs none of this layer's candidates: ${refused.map(({ candidate, reason }) => `${candidate.id} (${reason})`).join('; ')}; ${this.target.checkpoint.hint}`;
  }

  /** Why the target cannot run a pinned layer's candidate, or undefined. */
  pinRefused(layer: Layer, candidate: Candidate): string | undefined {
    const said = verdict(this.target, layer, candidate, this.hardwareId);
    return said.refused && `${this.label()} cannot run the pin ${candidate.id}: ${said.refused}; ${this.target.checkpoint.hint}`;
  }

  /** The warnings of the filter: each left-out candidate and reason with its layers, and layers whose row length was not checked. */
  warnings(): string[] {
    const out = [...this.leftOut].map(([note, names]) => `${this.label()} left ${note.replace(/: /, ' out on ' + namedLayers(names) + ': ')}`);
    if (this.unchecked.length > 0) {
      out.push(`${this.label()}: the row length of ${namedLayers(this.unchecked)} is not known (no inFeatures), so the block and group sizes of their candidates were not checked against it (${this.target.checkpoint.rowRule}); give inFeatures, as bitplan.torch.describe and the seeds do`);
    }
    return out;
  }

  label(): string {
    return `target ${this.target.runtime.id} (${this.target.checkpoint.id})`;
  }
}
