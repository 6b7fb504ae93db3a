import { BENCH_CASES } from '../bench/instances.js';
import { makePlan } from '../src/core/index.js';
for (const c of BENCH_CASES) {
  const input = c.input();
  const t0 = performance.now();
  try {
    const plan = makePlan(input, { now: () => performance.now() });
    console.log(c.name, (performance.now() - t0).toFixed(1), 'ms total; solver', plan.solver, plan.status, 'gap', plan.gap, plan.budgets.map(b=>[b.metric, b.binding]));
  } catch (e) { console.log(c.name, 'ERR', (e as Error).message.slice(0, 300)); }
}
