import { httpProblem } from './problems.js';

/**
 * The representation to answer with: the Accept header's most preferred of `offered` (q-values
 * honoured; the first offered on ties, for * /* and without Accept); 406 when it names none.
 */
export function negotiate<T extends string>(accept: string | undefined, offered: Record<string, T>): T {
  const types = Object.keys(offered);
  if (!accept) return offered[types[0]!]!;
  const ranges = accept.split(',').map((part, order) => {
    const [range, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { range: range!.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, order };
  });
  let best: { type: string; q: number; order: number } | undefined;
  for (const type of types) {
    for (const { range, q, order } of ranges) {
      const matches = range === type || range === '*/*' || (range.endsWith('/*') && type.startsWith(range.slice(0, -1)));
      if (!matches || !(q > 0)) continue;
      const specific = range === type ? 0 : 1;
      if (!best || q > best.q || (q === best.q && order + specific < best.order)) best = { type, q, order: order + specific };
    }
  }
  if (!best) throw httpProblem('BITPLAN_ERR_NOT_ACCEPTABLE', [accept.slice(0, 200), types.join(', ')]);
  return offered[best.type]!;
}
