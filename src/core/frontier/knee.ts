/**
 * The knee of a frontier: with cost and sensitivity each scaled to [0, 1] over the points, the
 * point farthest below the chord from the cheapest to the most expensive point, where spending
 * more stops buying much. Null with fewer than three points.
 */
export function kneeIndex(points: { cost: number; sensitivity: number }[]): number | null {
  if (points.length < 3) return null;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const costSpan = last.cost - first.cost || 1;
  const sensitivitySpan = first.sensitivity - last.sensitivity || 1;
  let best = 1;
  let bestDistance = -Infinity;
  for (let i = 1; i < points.length - 1; i++) {
    const x = (points[i]!.cost - first.cost) / costSpan;
    const y = (points[i]!.sensitivity - last.sensitivity) / sensitivitySpan;
    // The chord runs from (0, 1) to (1, 0): x + y = 1. Below it, 1 - x - y > 0.
    const distance = 1 - x - y;
    if (distance > bestDistance) {
      bestDistance = distance;
      best = i;
    }
  }
  return best;
}
