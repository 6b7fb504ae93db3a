import { HttpProblem } from './problems.js';

/**
 * The representation to answer with: `?format=` when given (json, csv, svg), else the Accept
 * header's most preferred of `offered` (q-values honoured, first offered on ties and for * /*).
 */
export function negotiate<T extends string>(accept: string | undefined, format: string | undefined, offered: Record<string, T>): T {
  const byFormat: Record<string, string> = { json: 'application/json', csv: 'text/csv', svg: 'image/svg+xml' };
  const types = Object.keys(offered);
  if (format !== undefined) {
    const type = byFormat[format];
    if (!type || !(type in offered)) throw new HttpProblem('invalid-request', `format=${format} is not offered here; use one of ${types.map((t) => Object.keys(byFormat).find((f) => byFormat[f] === t)).join(', ')}`, { errors: [{ path: 'format', message: `expected one of ${types.join(', ')}` }] });
    return offered[type]!;
  }
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
  if (!best) throw new HttpProblem('not-acceptable', `Accept: ${accept} matches none of ${types.join(', ')}`);
  return offered[best.type]!;
}
