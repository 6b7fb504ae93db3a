import { z } from 'zod';

/**
 * Every schema in the contract is registered here with its component id, so the OpenAPI
 * document lists it under components.schemas and references it by $ref.
 */
export const contractRegistry = z.registry<{ id: string; description: string; example?: unknown }>();

/** Attach the description and example that Swagger UI shows for a field. */
export function doc<T extends z.ZodType>(schema: T, description: string, example: unknown): T {
  return schema.meta({ description, example }) as T;
}

/** Register a named component (description and example included). */
export function component<T extends z.ZodType>(id: string, schema: T, description: string, example: unknown): T {
  contractRegistry.add(schema, { id, description, example });
  return schema;
}

/** A finite number >= 0 (JSON cannot carry NaN; 1e999 parses as Infinity and is refused). */
export const nonNegative = () => z.number().nonnegative();
