import { BITPLAN_VERSION } from '../core/version.js';

/** The service version reported by /healthz and the OpenAPI document (kept equal to package.json by a test). */
export const SERVICE_VERSION = BITPLAN_VERSION;
