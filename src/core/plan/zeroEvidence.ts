import type { PreparedProblem } from '../problem/prepare.js';

const SHOWN = 4;

/**
 * The warning for layers whose evidence is indistinguishable from zero, saying what the plan
 * gave them (`options`: one option index per layer) or, for a frontier (no options), that each
 * point's choice for them rests on noise. The scores are used as measured, so such a layer may
 * take any candidate: the warning names what it took rather than guessing.
 */
export function zeroEvidenceWarning(problem: PreparedProblem, options?: readonly number[]): string[] {
  const names = problem.zeroEvidence;
  if (names.length === 0) return [];
  const listed = `${names.length} layer${names.length === 1 ? '' : 's'} (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''})`;
  const head = `evidence indistinguishable from zero on ${listed}: every candidate scores within 2 standard errors of 0`;
  const advice = 'measure them more precisely or pin them';
  if (!options) return [`${head}, so what they take in each point rests on noise; ${advice}`];
  const index = new Map(problem.layers.map((plannable, i) => [plannable.layer.name, i]));
  const given = names.slice(0, SHOWN).map((name) => {
    const i = index.get(name)!;
    return `${name} ${problem.layers[i]!.options[options[i]!]!.candidate.id}`;
  });
  const more = names.length > SHOWN ? ` and ${names.length - SHOWN} more` : '';
  return [`${head}, so what they take rests on noise: this plan gives ${given.join(', ')}${more}; ${advice}`];
}
