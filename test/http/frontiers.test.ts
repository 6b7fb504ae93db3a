import { boxCrossesLine } from '../../src/service/render/svg.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Frontier } from '../../src/contract/frontier.js';
import { Plan } from '../../src/contract/plan.js';
import { startApp } from '../support/app.js';

function expectMonotoneAndNonDominated(frontier: Frontier) {
  frontier.points.forEach((point, i) => {
    if (i === 0) return;
    const previous = frontier.points[i - 1]!;
    expect(point.cost).toBeGreaterThan(previous.cost);
    expect(point.sensitivity).toBeLessThan(previous.sensitivity);
  });
  for (const a of frontier.points) {
    const dominated = frontier.points.some((b) => b !== a && b.cost <= a.cost && b.sensitivity <= a.sensitivity);
    expect(dominated).toBe(false);
  }
}

describe('POST /v1/frontiers', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());
  const frontierOf = async (body: object) => Frontier.parse((await http.post('/v1/frontiers').send(body).expect(200)).body);

  it('answers a monotone frontier of non-dominated points, each the optimum of a plan at its cost', async () => {
    const frontier = await frontierOf({ seed: 'resnet18-hawq-v3', axis: 'sizeBytes', points: 12 });
    expect(frontier.points.length).toBeGreaterThanOrEqual(12);
    expectMonotoneAndNonDominated(frontier);
    expect(frontier.layers).toHaveLength(21);
    expect(new Set(frontier.points.map((p) => p.source))).toEqual(new Set(['supported', 'budget']));
    for (const point of frontier.points) {
      expect(point.status).toBe('optimal');
      const plan = Plan.parse(
        (await http.post('/v1/plans').send({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', max: point.cost }] }).expect(200)).body,
      );
      expect(plan.objective.sensitivity).toBeCloseTo(point.sensitivity, 12);
      expect(point.assignment.map((c) => frontier.candidates[c])).toEqual(expect.arrayContaining(['int8/int8']));
    }
  });

  it('spans the cheapest to the most expensive assignment, with the uniform baselines and a knee', async () => {
    const frontier = await frontierOf({ seed: 'resnet18-hawq-v3', axis: 'bops', points: 10 });
    const int4 = frontier.baselines.find((b) => b.candidate === 'int4/int4')!;
    const int8 = frontier.baselines.find((b) => b.candidate === 'int8/int8')!;
    expect(frontier.points[0]!.cost).toBeCloseTo(int4.cost, 6);
    expect(frontier.points.at(-1)!.cost).toBeCloseTo(int8.cost, 6);
    expect(frontier.points.at(-1)!.sensitivity).toBeCloseTo(int8.sensitivity, 12);
    expect(frontier.knee).toBeGreaterThan(0);
    expect(frontier.knee).toBeLessThan(frontier.points.length - 1);
  });

  it('says how many budgets it solved and how many distinct plans they gave, when fewer points come back than asked', async () => {
    const frontier = Frontier.parse((await http.post('/v1/frontiers').send({ seed: 'resnet18-hawq-v3', axis: 'sizeBytes', points: 40 }).expect(200)).body);
    expect(frontier.solver.solves).toBe(40);
    expect(frontier.points.length).toBeLessThan(40);
    expect(frontier.warnings).toContain(`40 points asked, 40 axis budgets solved: they and the supported points gave ${frontier.points.length} distinct non-dominated plans, since neighbouring budgets often share their optimum`);
  });

  it('holds the other budgets at every point', async () => {
    const frontier = await frontierOf({ seed: 'resnet50-hawq-v3', axis: 'latencyMs', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }], points: 15 });
    expectMonotoneAndNonDominated(frontier);
    const size = (await http.post('/v1/plans').send({ seed: 'resnet50-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }).expect(200)).body.budgets[0].limit;
    for (const point of frontier.points) {
      const plan = Plan.parse(
        (
          await http
            .post('/v1/plans')
            .send({ seed: 'resnet50-hawq-v3', budgets: [{ metric: 'sizeBytes', max: size }, { metric: 'latencyMs', max: point.cost }] })
            .expect(200)
        ).body,
      );
      expect(plan.objective.sensitivity).toBeCloseTo(point.sensitivity, 12);
    }
  });

  it('enumerates every Pareto-optimal point with all, a superset of the budget points', async () => {
    const all = await frontierOf({ seed: 'resnet18-hawq-v3', axis: 'sizeBytes', all: true });
    const sampled = await frontierOf({ seed: 'resnet18-hawq-v3', axis: 'sizeBytes', points: 30 });
    expectMonotoneAndNonDominated(all);
    expect(all.points.every((p) => p.source === 'pareto')).toBe(true);
    for (const point of sampled.points) {
      expect(all.points.some((p) => p.cost === point.cost && Math.abs(p.sensitivity - point.sensitivity) < 1e-12)).toBe(true);
    }
  });

  it('says clearly when an all frontier exceeds its cap', async () => {
    const response = await http.post('/v1/frontiers').send({ seed: 'resnet18-hawq-v3', axis: 'sizeBytes', all: true, maxPoints: 5 }).expect(422);
    expect(response.body.type).toBe('/problems/frontier-too-large');
    expect(response.body.detail).toMatch(/more than maxPoints=5/);
  });

  it('answers an SVG chart with one mark per point, labelled axes, the baselines and the knee', async () => {
    const body = { seed: 'resnet18-hawq-v3', axis: 'sizeBytes', points: 10 };
    const frontier = await frontierOf(body);
    const response = await http.post('/v1/frontiers').set('accept', 'image/svg+xml').send(body).expect(200);
    expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = response.text ?? response.body.toString();
    expect(XMLValidator.validate(svg)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg);
    const circles = [parsed.svg.circle].flat().filter(Boolean) as Record<string, string>[];
    expect(circles.filter((c) => c['@_class'] === 'point')).toHaveLength(frontier.points.length);
    expect(circles.filter((c) => c['@_class'] === 'knee')).toHaveLength(1);
    const rects = [parsed.svg.rect].flat() as Record<string, string>[];
    expect(rects.filter((r) => r['@_class'] === 'baseline')).toHaveLength(frontier.baselines.length);
    expect(svg).toContain('model size (MB)');
    expect(svg).toContain('resnet18: total sensitivity against model size');
    // The subtitle says where the points come from (issue #28.10).
    const supported = frontier.points.filter((p) => p.source === 'supported').length;
    expect(svg).toContain(`${frontier.points.length} non-dominated plans: ${supported} vertices of the convex hull`);
    // At least four ticks on each axis; the knee labelled with its values; a legend of what is drawn.
    const lines = [parsed.svg.line].flat() as Record<string, string>[];
    expect(lines.filter((l) => l['@_class'] === 'x-tick').length).toBeGreaterThanOrEqual(4);
    expect(lines.filter((l) => l['@_class'] === 'y-tick').length).toBeGreaterThanOrEqual(4);
    const knee = frontier.points[frontier.knee!]!;
    expect(svg).toContain(`knee: ${Number((knee.cost / 1e6).toPrecision(3))} MB, sensitivity ${knee.sensitivity.toPrecision(3)}`);
    expect(svg).not.toContain('not proven');
    // Baseline and knee labels never overprint one another (13 px rows where they overlap in x).
    const labels = ([parsed.svg.text].flat() as Record<string, string>[]).filter((t) => t['@_class'] === 'baseline-label' || t['@_class'] === 'knee-label');
    for (const a of labels) for (const b of labels) if (a !== b && Math.abs(Number(a['@_x']) - Number(b['@_x'])) < 60) expect(Math.abs(Number(a['@_y']) - Number(b['@_y']))).toBeGreaterThanOrEqual(12);
  });

  it('labels the knee where the curve does not run through the label, and a latency axis in ms or the table unit (issue #28.10)', async () => {
    const cases = [
      { seed: 'resnet18-hawq-v3', axis: 'sizeBytes', points: 30 },
      { seed: 'resnet50-hawq-v3', axis: 'bops', points: 30 },
      { seed: 'resnet18-hawq-v3', axis: 'latencyMs', points: 20 },
      { seed: 'llama-2-7b', hardware: 'nvidia-a100', candidates: ['int4-g128/fp16', 'int8/int8', 'fp16/fp16'], axis: 'latencyMs', points: 30 },
    ];
    const chart = async (body: object): Promise<string> => {
      const response = await http.post('/v1/frontiers?format=svg').send(body).expect(200);
      return response.text ?? response.body.toString();
    };
    for (const body of cases) {
      const svg = await chart(body);
      const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg);
      const curve = ([parsed.svg.polyline].flat()[0] as Record<string, string>)['@_points']!.split(' ').map((pair) => {
        const [px, py] = pair.split(',').map(Number);
        return { x: px!, y: py! };
      });
      const label = ([parsed.svg.text].flat() as Record<string, unknown>[]).find((t) => t['@_class'] === 'knee-label')!;
      const lx = Number(label['@_x']);
      const ly = Number(label['@_y']);
      const width = String(label['#text']).length * 6.5;
      expect(boxCrossesLine({ left: lx, top: ly - 11, right: lx + width, bottom: ly + 3 }, curve), `${body.seed} ${body.axis}`).toBe(false);
    }
    const measured = await chart(cases[2]!);
    expect(measured).toContain('latency (measured table units)');
    const roofline = await chart(cases[3]!);
    expect(roofline).toContain('latency (ms)');
    expect(roofline).not.toContain('milliseconds (');
  });

  it('stops an all-points frontier at its time limit with 422 saying how far it got', async () => {
    const response = await http.post('/v1/frontiers').send({ seed: 'llama-2-70b', hardware: 'nvidia-h100', axis: 'sizeBytes', all: true, maxPoints: 100_000, solver: { timeLimitMs: 200 } }).expect(422);
    expect(response.body.type).toBe('/problems/frontier-too-large');
    expect(response.body.detail).toMatch(/^the all-points frontier did not finish within solver\.timeLimitMs=200 ms \(\d+ of 562 items enumerated, \d+ Pareto-optimal partial plans so far\)/);
  });

  it('draws a large all-points frontier as a line without a marker per point', async () => {
    const body = { seed: 'mobilenet-v2', axis: 'sizeBytes', all: true, candidates: ['int4/int4', 'int8/int8'] };
    const frontier = await frontierOf(body);
    expect(frontier.points.length).toBeGreaterThan(300);
    const response = await http.post('/v1/frontiers?format=svg').send(body).expect(200);
    const svg: string = response.text ?? response.body.toString();
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toContain('class="point"');
    expect(svg).toContain(`frontier: ${frontier.points.length} plans`);
    expect(svg).toContain(`${frontier.points.length} plans: every Pareto-optimal plan`);
    expect(svg.length).toBeLessThan(120_000);
  });

  it('answers CSV by Accept or ?format=csv', async () => {
    const body = { seed: 'resnet18-hawq-v3', axis: 'bops', points: 6 };
    const frontier = await frontierOf(body);
    const csv = await http.post('/v1/frontiers?format=csv').send(body).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = csv.text.trim().split('\n').filter((line) => !line.startsWith('#'));
    expect(rows[0]).toBe('kind,cost,sensitivity,status,gap,source,knee,candidate,assignment');
    expect(rows.filter((r) => r.startsWith('point,'))).toHaveLength(frontier.points.length);
    expect(rows.filter((r) => r.startsWith('baseline,'))).toHaveLength(frontier.baselines.length);
    const byAccept = await http.post('/v1/frontiers').set('accept', 'text/csv').send(body).expect(200);
    expect(byAccept.text).toBe(csv.text);
    await http.post('/v1/frontiers').set('accept', 'application/xml').send(body).expect(406);
  });

  it('refuses a budget on the axis metric and all with other budgets', async () => {
    const response = await http
      .post('/v1/frontiers')
      .send({ seed: 'resnet18-hawq-v3', axis: 'sizeBytes', all: true, budgets: [{ metric: 'sizeBytes', max: 1 }] })
      .expect(400);
    const paths = response.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['budgets[0].metric', 'all']));
  });
});
