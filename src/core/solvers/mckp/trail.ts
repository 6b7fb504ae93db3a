/**
 * Moves a depth-first search to a stack entry's node: options removed since the entry was pushed
 * (past `mark` on the trail) come back, then the entry's own removals go, each recorded on the
 * trail so that a later node can undo it.
 */
export function enterNode(alive: Uint8Array, trail: number[], mark: number, remove: readonly number[]): void {
  while (trail.length > mark) alive[trail.pop()!] = 1;
  for (const o of remove) {
    if (alive[o]) {
      alive[o] = 0;
      trail.push(o);
    }
  }
}
