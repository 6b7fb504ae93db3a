import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json, found from this file whether run from src/ or a build in dist/. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'seeds'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('bitplan: cannot find the project folder (package.json beside seeds/)');
    dir = parent;
  }
  return dir;
}

const ROOT = findRoot();

export function projectPath(...parts: string[]): string {
  return join(ROOT, ...parts);
}
