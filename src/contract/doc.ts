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

/** A description without an example (a query parameter that a form must leave empty). */
export function described<T extends z.ZodType>(schema: T, description: string): T {
  return schema.meta({ description }) as T;
}

/** Register a named component (description and example included). */
export function component<T extends z.ZodType>(id: string, schema: T, description: string, example: unknown): T {
  return schema.meta({ id, description, example }) as T;
}

/** A finite number >= 0 (JSON cannot carry NaN; 1e999 parses as Infinity and is refused). */
export const nonNegative = () => z.number().nonnegative();

/** Longest name (layer, model, candidate, alias, record key) a request may use. */
export const NAME_MAX_LENGTH = 256;
/** Longest free text (a hardware profile's description or source) a request may use. */
export const TEXT_MAX_LENGTH = 4096;

/**
 * Characters no name or text may hold: controls (C0 and C1, newlines and tabs among them),
 * invisible formatting (bidi overrides, zero-width marks), unpaired surrogates and the Unicode
 * line and paragraph separators. Names reach exports that are pasted into Python files and
 * shell commands; such characters could forge a line there or hide code from a reader.
 */
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const hiddenCharacterMessage = 'control and invisible characters (newlines, tabs, bidi overrides, zero-width marks) are not allowed';

/** Whether a text holds none of the hidden characters. */
function hasNoHiddenCharacters(text: string): boolean {
  // Printable ASCII holds none of them: most texts need no regular expression.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return !HIDDEN_CHARACTERS.test(text);
  }
  return true;
}

const visible = (maxLength: number) => z.string().min(1).max(maxLength).refine(hasNoHiddenCharacters, hiddenCharacterMessage);

/** Whether `value` is a name the `name()` schema accepts (for code that checks names without zod). */
export function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= NAME_MAX_LENGTH && hasNoHiddenCharacters(value);
}

/** A name: 1-256 visible characters (no controls or invisible formatting). */
export const name = () => visible(NAME_MAX_LENGTH);
/** Free text: 1-4096 visible characters. */
export const text = () => visible(TEXT_MAX_LENGTH);

type Equals<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
type Simplify<T> = T extends object ? { [K in keyof T]: Simplify<T[K]> } : T;

/** True when a schema's output is exactly the type T: every field, its type and whether it is optional. */
export type Describes<S extends z.ZodType, T> = Equals<Simplify<z.output<S>>, Simplify<T>>;

/**
 * Holds a schema to the core type it describes: `describes<core.Layer>()(schema)` does not
 * compile ("Expected 2 arguments") when the schema and the type differ in any field, so the
 * contract and the core cannot drift apart.
 */
export function describes<T>() {
  return <S extends z.ZodType>(schema: S, ..._schemaDiffersFromTheCoreType: Describes<S, T> extends true ? [] : [never]): S => schema;
}
