// npx tsx scripts/architecture-counts.ts: the exact parameter and MAC counts of every architecture
// seed, computed from its published configuration, beside the published totals.
import { ARCHITECTURE_SEEDS } from '../src/core/index.js';

const rows = ARCHITECTURE_SEEDS.map((definition) => {
  const built = definition.build();
  return {
    seed: definition.name,
    layers: built.layers.length,
    parameters: built.totalParams.toLocaleString('en-US'),
    published: definition.publishedParams.toLocaleString('en-US'),
    match: built.totalParams === definition.publishedParams ? 'yes' : 'NO',
    layerMacs: built.totalMacs.toLocaleString('en-US'),
  };
});
console.table(rows);
