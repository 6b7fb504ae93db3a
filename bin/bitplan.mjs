#!/usr/bin/env node
// The bitplan command: the compiled CLI when built (npm run build), else the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

// bitplan targets the supported Node LTS (24+) and still runs on 20.19 (package.json's engines,
// so that npm does not print ten lines of EBADENGINE on every npx): one line says so.
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 24) console.error(`bitplan: Node ${process.versions.node} is past its end of life; bitplan targets Node 24 or newer (it still runs here).`);

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
let cli;
if (existsSync(compiled)) {
  cli = await import(compiled.href);
} else {
  const { tsImport } = await import('tsx/esm/api');
  cli = await tsImport('../src/cli/main.ts', import.meta.url);
}
process.exitCode = await cli.run(process.argv.slice(2));
