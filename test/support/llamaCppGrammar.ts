/** ggml tensor type names llama-quantize's parse_ggml_type accepts (case-insensitive). */
const GGML_TYPES = new Set(['f32', 'f16', 'bf16', 'q4_0', 'q4_1', 'q5_0', 'q5_1', 'q8_0', 'q2_k', 'q3_k', 'q4_k', 'q5_k', 'q6_k', 'iq2_xxs', 'iq2_xs', 'iq2_s', 'iq3_xxs', 'iq3_s', 'iq1_s', 'iq1_m', 'iq4_nl', 'iq4_xs', 'tq1_0', 'tq2_0', 'mxfp4', 'nvfp4']);

/**
 * Reads a --tensor-type-file as llama-quantize does: split on whitespace into tokens, each
 * `pattern=type` split at its first '=', the pattern lower-cased and compiled as a regex, the
 * type a ggml type name. Throws on anything else ("malformed tensor type").
 */
export function readTensorTypeFile(text: string): { pattern: RegExp; source: string; type: string }[] {
  return text
    .split(/\s+/)
    .filter((token) => token.length > 0)
    .map((token) => {
      const at = token.indexOf('=');
      if (at <= 0) throw new Error(`malformed tensor type '${token}'`);
      const source = token.slice(0, at).toLowerCase();
      const type = token.slice(at + 1).toLowerCase();
      if (!GGML_TYPES.has(type)) throw new Error(`unknown ggml type '${type}' in '${token}'`);
      return { pattern: new RegExp(source), source, type };
    });
}
