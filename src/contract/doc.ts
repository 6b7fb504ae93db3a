import { z } from 'zod';

/**
 * Component schemas carry an `id` in zod's global registry, so the OpenAPI document lists them
 * under components.schemas and references them by $ref. Only contract schemas set ids.
 */
export const contractRegistry = z.globalRegistry;

/** Attach the description and example that Swagger UI shows for a field. */
export function doc<T extends z.ZodType>(schema: T, description: string, example: unknown): T {
  return schema.meta({ description, example }) as T;
}

/** Register a named component (description and example included). */
export function component<T extends z.ZodType>(id: string, schema: T, description: string, example: unknown): T {
  return schema.meta({ id, description, example }) as T;
}

/** A finite number >= 0 (JSON cannot carry NaN; 1e999 parses as Infinity and is refused). */
export const nonNegative = () => z.number().nonnegative();
