/**
 * Small checkpoint files written from their published layouts, for the describe tests: the
 * reader under test never wrote them.
 *
 * safetensors (https://huggingface.co/docs/safetensors/index): 8 bytes little-endian header
 * length, a JSON header {name: {dtype, shape, data_offsets}} padded with spaces to a multiple of
 * 8, then the data. GGUF v3 (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md): magic
 * GGUF, version, tensor and metadata counts, key-value metadata, tensor infos (name, dims with
 * ne[0] first, ggml type, offset), padding to general.alignment, then the data.
 */
import { writeFileSync } from 'node:fs';

export interface TensorSpec {
  name: string;
  /** PyTorch order for safetensors, ggml order (ne[0] first) for GGUF. */
  shape: number[];
}

const BYTES = { F32: 4, F16: 2, BF16: 2 } as const;

export function writeSafetensors(path: string, tensors: TensorSpec[], dtype: keyof typeof BYTES = 'BF16'): void {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const tensor of tensors) {
    const size = tensor.shape.reduce((product, n) => product * n, 1) * BYTES[dtype];
    header[tensor.name] = { dtype, shape: tensor.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(path, Buffer.concat([length, Buffer.from(json), Buffer.alloc(offset)]));
}

/** GGUF metadata value types (gguf.md): the ones these files use. */
const UINT32 = 4;
const STRING = 8;
/** ggml tensor types (ggml.h): F32 = 0, F16 = 1. */
const GGML_TYPE = { F32: 0, F16: 1 } as const;

export function writeGguf(path: string, metadata: Record<string, string | number>, tensors: TensorSpec[], dtype: keyof typeof GGML_TYPE = 'F16'): void {
  const parts: Buffer[] = [];
  const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); parts.push(b); };
  const u64 = (n: number) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); parts.push(b); };
  const text = (s: string) => { u64(Buffer.byteLength(s)); parts.push(Buffer.from(s)); };
  const alignment = 32;
  const entries = Object.entries({ ...metadata, 'general.alignment': alignment });
  parts.push(Buffer.from('GGUF', 'latin1'));
  u32(3);
  u64(tensors.length);
  u64(entries.length);
  for (const [key, value] of entries) {
    text(key);
    if (typeof value === 'string') {
      u32(STRING);
      text(value);
    } else {
      u32(UINT32);
      u32(value);
    }
  }
  let offset = 0;
  const bytes = dtype === 'F32' ? 4 : 2;
  for (const tensor of tensors) {
    text(tensor.name);
    u32(tensor.shape.length);
    for (const n of tensor.shape) u64(n);
    u32(GGML_TYPE[dtype]);
    u64(offset);
    const size = tensor.shape.reduce((product, n) => product * n, 1) * bytes;
    offset += Math.ceil(size / alignment) * alignment;
  }
  const head = Buffer.concat(parts);
  const padding = Buffer.alloc((alignment - (head.length % alignment)) % alignment);
  writeFileSync(path, Buffer.concat([head, padding, Buffer.alloc(offset)]));
}

/** A Llama-style decoder's tensors in Hugging Face names and PyTorch order (grouped-query attention, untied head). */
export function llamaTensors(blocks: number, hidden: number, intermediate: number, kvHidden: number, vocab: number): TensorSpec[] {
  const tensors: TensorSpec[] = [{ name: 'model.embed_tokens.weight', shape: [vocab, hidden] }];
  for (let n = 0; n < blocks; n++) {
    const p = `model.layers.${n}`;
    tensors.push(
      { name: `${p}.input_layernorm.weight`, shape: [hidden] },
      { name: `${p}.self_attn.q_proj.weight`, shape: [hidden, hidden] },
      { name: `${p}.self_attn.k_proj.weight`, shape: [kvHidden, hidden] },
      { name: `${p}.self_attn.v_proj.weight`, shape: [kvHidden, hidden] },
      { name: `${p}.self_attn.o_proj.weight`, shape: [hidden, hidden] },
      { name: `${p}.post_attention_layernorm.weight`, shape: [hidden] },
      { name: `${p}.mlp.gate_proj.weight`, shape: [intermediate, hidden] },
      { name: `${p}.mlp.up_proj.weight`, shape: [intermediate, hidden] },
      { name: `${p}.mlp.down_proj.weight`, shape: [hidden, intermediate] },
    );
  }
  tensors.push({ name: 'model.norm.weight', shape: [hidden] }, { name: 'lm_head.weight', shape: [vocab, hidden] });
  return tensors;
}
