import { closeSync, openSync, readSync } from 'node:fs';

/** Where a tensor's bytes are in its file (absolute offsets), for the weight statistics. */
export interface TensorBytes {
  file: string;
  start: number;
  end: number;
  dtype: string;
}

export interface StreamedStats {
  absMax: number;
  rms: number;
  count: number;
}

/** Bytes read at a time: memory stays bounded by this, whatever the tensor's size. */
const CHUNK_BYTES = 16 * 1024 * 1024;

/** IEEE half-precision values by bit pattern, built once. */
let halfTable: Float32Array | undefined;
function halves(): Float32Array {
  if (halfTable) return halfTable;
  halfTable = new Float32Array(65536);
  for (let bits = 0; bits < 65536; bits++) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const fraction = bits & 0x3ff;
    halfTable[bits] = exponent === 0 ? sign * 2 ** -14 * (fraction / 1024) : exponent === 31 ? (fraction ? Number.NaN : sign * Infinity) : sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  }
  return halfTable;
}

/** Float dtypes whose statistics can be streamed (safetensors and ggml names); quantized ones cannot. */
export const STREAMABLE_DTYPES = new Set(['F32', 'F16', 'BF16']);

/**
 * absMax and rms of a float tensor, read once in chunks (one tensor at a time, CHUNK_BYTES of
 * memory): what weightStats needs to estimate each format's perturbation.
 */
export function streamStats(tensor: TensorBytes): StreamedStats {
  const dtype = tensor.dtype.toUpperCase();
  const width = dtype === 'F32' ? 4 : 2;
  const file = openSync(tensor.file, 'r');
  const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, Math.max(width, tensor.end - tensor.start)));
  const widened = new Uint32Array(chunk.length / 2);
  const asFloats = new Float32Array(widened.buffer);
  let absMax = 0;
  let sumSquares = 0;
  let count = 0;
  try {
    for (let at = tensor.start; at < tensor.end; ) {
      const wanted = Math.min(chunk.length, tensor.end - at);
      const read = readSync(file, chunk, 0, wanted - (wanted % width), at);
      if (read <= 0) throw new Error(`${tensor.file} ends before the tensor's data does (byte ${at})`);
      at += read;
      const values = read / width;
      if (dtype === 'F32') {
        const floats = new Float32Array(chunk.buffer, chunk.byteOffset, values);
        for (let i = 0; i < values; i++) {
          const v = floats[i]!;
          sumSquares += v * v;
          if (Math.abs(v) > absMax) absMax = Math.abs(v);
        }
      } else if (dtype === 'F16') {
        const table = halves();
        for (let i = 0; i < values; i++) {
          const v = table[chunk.readUInt16LE(2 * i)]!;
          sumSquares += v * v;
          if (Math.abs(v) > absMax) absMax = Math.abs(v);
        }
      } else {
        // bfloat16 is the high half of a float32.
        for (let i = 0; i < values; i++) widened[i] = chunk.readUInt16LE(2 * i) << 16;
        for (let i = 0; i < values; i++) {
          const v = asFloats[i]!;
          sumSquares += v * v;
          if (Math.abs(v) > absMax) absMax = Math.abs(v);
        }
      }
      count += values;
    }
  } finally {
    closeSync(file);
  }
  return { absMax, rms: count > 0 ? Math.sqrt(sumSquares / count) : 0, count };
}
