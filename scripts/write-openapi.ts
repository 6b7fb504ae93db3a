// Writes openapi/openapi.json from the zod contract; test/http/openapi.test.ts fails when it is stale.
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../src/http/openapi.js';
import { ROUTES } from '../src/http/routes/index.js';
import { projectPath } from '../src/projectRoot.js';

const path = projectPath('openapi', 'openapi.json');
writeFileSync(path, `${JSON.stringify(buildOpenApiDocument(ROUTES), null, 2)}\n`);
console.log(`wrote ${path}`);
