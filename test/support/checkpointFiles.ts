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
  /** The values, in storage order (zeros when not given); exactly representable in the dtype. */
  values?: number[];
}

/** The bytes of `tensor` in `dtype`, little-endian. */
function encode(tensor: TensorSpec, dtype: 'F32' | 'F16' | 'BF16'): Buffer {
  const count = tensor.shape.reduce((product, n) => product * n, 1);
  const floats = new Float32Array(count);
  if (tensor.values) floats.set(tensor.values);
  if (dtype === 'F32') return Buffer.from(floats.buffer);
  const bits = new Uint32Array(floats.buffer);
  const out = Buffer.alloc(2 * count);
  for (let i = 0; i < count; i++) out.writeUInt16LE(dtype === 'BF16' ? bits[i]! >>> 16 : half(floats[i]!), 2 * i);
  return out;
}

/** IEEE half bits of a normal value (or 0) that half precision holds exactly. */
function half(value: number): number {
  if (value === 0) return 0;
  const sign = value < 0 ? 0x8000 : 0;
  const exponent = Math.floor(Math.log2(Math.abs(value)));
  const fraction = Math.round((Math.abs(value) / 2 ** exponent - 1) * 1024);
  return sign | ((exponent + 15) << 10) | fraction;
}

const BYTES = { F32: 4, F16: 2, BF16: 2 } as const;

export function writeSafetensors(path: string, tensors: TensorSpec[], dtype: keyof typeof BYTES = 'BF16'): void {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  const data: Buffer[] = [];
  for (const tensor of tensors) {
    const bytes = encode(tensor, dtype);
    header[tensor.name] = { dtype, shape: tensor.shape, data_offsets: [offset, offset + bytes.length] };
    data.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(path, Buffer.concat([length, Buffer.from(json), ...data]));
}

/** GGUF metadata value types (gguf.md): the ones these files use. */
const UINT32 = 4;
const STRING = 8;
const ARRAY = 9;
/** ggml tensor types (ggml.h): F32 = 0, F16 = 1. */
const GGML_TYPE = { F32: 0, F16: 1 } as const;

export function writeGguf(path: string, metadata: Record<string, string | number | string[]>, tensors: TensorSpec[], dtype: keyof typeof GGML_TYPE = 'F16'): void {
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
    if (Array.isArray(value)) {
      // An array of strings (a tokenizer's vocabulary): item type, count, items.
      u32(ARRAY);
      u32(STRING);
      u64(value.length);
      for (const item of value) text(item);
    } else if (typeof value === 'string') {
      u32(STRING);
      text(value);
    } else {
      u32(UINT32);
      u32(value);
    }
  }
  let offset = 0;
  const data: Buffer[] = [];
  for (const tensor of tensors) {
    text(tensor.name);
    u32(tensor.shape.length);
    for (const n of tensor.shape) u64(n);
    u32(GGML_TYPE[dtype]);
    u64(offset);
    const bytes = encode(tensor, dtype);
    const padded = Math.ceil(bytes.length / alignment) * alignment;
    data.push(bytes, Buffer.alloc(padded - bytes.length));
    offset += padded;
  }
  const head = Buffer.concat(parts);
  const padding = Buffer.alloc((alignment - (head.length % alignment)) % alignment);
  writeFileSync(path, Buffer.concat([head, padding, ...data]));
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
