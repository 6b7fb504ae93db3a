/** Layers named in a message: "layer a" for one, "40 layers (a, b, c, ...)" for more (the first three). */
export function namedLayers(names: readonly string[]): string {
  if (names.length === 1) return `layer ${names[0]}`;
  return `${names.length} layers (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''})`;
}
