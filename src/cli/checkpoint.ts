import { closeSync, openSync, readFileSync, readSync, statSync, existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CheckpointTensor, TensorTable } from '../core/index.js';
import { CliError, EXIT_ERROR } from './errors.js';
import type { TensorBytes } from './weightStats.js';

/** A tensor of a file on disk: what the header says, and where its bytes are. */
export type LocatedTensor = CheckpointTensor & { bytes: TensorBytes };

/** A checkpoint's tensor table with each tensor's bytes located. */
export type LocatedTable = Omit<TensorTable, 'tensors'> & { tensors: LocatedTensor[] };

/** A safetensors header larger than this is not one (the format caps it at 100 MB). */
const HEADER_BYTES_MAX = 100_000_000;

/**
 * The tensor table of a checkpoint on disk, its data never read: a .safetensors file, a
 * model.safetensors.index.json and its shards, a .gguf file, or a directory holding one of them.
 * A config.json beside safetensors gives the model's name and its experts per token.
 */
export async function readTensorTable(path: string): Promise<LocatedTable> {
  if (!existsSync(path)) throw new CliError(`describe: ${path} does not exist`, EXIT_ERROR);
  if (statSync(path).isDirectory()) return readTensorTable(checkpointIn(path));
  if (path.endsWith('.gguf') || startsWith(path, 'GGUF')) return readGguf(path);
  const tensors = path.endsWith('.json') ? shardedTensors(path) : safetensorsTensors(path);
  const config = readConfig(dirname(path));
  const name = basename(dirname(path)) === '.' ? basename(path).replace(/\.(safetensors|json)$/, '') : basename(dirname(path));
  return { layout: 'safetensors', name, tensors, ...config };
}

/** The checkpoint file of a directory: the shard index, else the one safetensors or GGUF file. */
function checkpointIn(directory: string): string {
  const files = readdirSync(directory);
  if (files.includes('model.safetensors.index.json')) return join(directory, 'model.safetensors.index.json');
  const candidates = files.filter((file) => file.endsWith('.safetensors') || file.endsWith('.gguf'));
  if (candidates.length === 1) return join(directory, candidates[0]!);
  throw new CliError(`describe: ${directory} holds ${candidates.length === 0 ? 'no .safetensors or .gguf file' : `${candidates.length} checkpoint files (${candidates.slice(0, 3).join(', ')}...)`}; name one, or the model.safetensors.index.json of its shards`, EXIT_ERROR);
}

function startsWith(path: string, magic: string): boolean {
  const bytes = Buffer.alloc(magic.length);
  const file = openSync(path, 'r');
  try {
    return readSync(file, bytes, 0, bytes.length, 0) === bytes.length && bytes.toString('latin1') === magic;
  } finally {
    closeSync(file);
  }
}

/**
 * A safetensors file's tensors from its header: 8 bytes of little-endian length, then that much
 * JSON of {name: {dtype, shape, data_offsets}} (https://huggingface.co/docs/safetensors/index;
 * read here rather than with a package because the npm readers fetch from the Hugging Face Hub).
 */
export function safetensorsTensors(path: string): LocatedTensor[] {
  const file = openSync(path, 'r');
  try {
    const size = Buffer.alloc(8);
    if (readSync(file, size, 0, 8, 0) !== 8) throw new CliError(`describe: ${path} is too short to be a safetensors file`, EXIT_ERROR);
    const length = Number(size.readBigUInt64LE(0));
    if (length < 2 || length > HEADER_BYTES_MAX || length > statSync(path).size - 8) throw new CliError(`describe: ${path} is not a safetensors file (its first 8 bytes give a header of ${length} bytes)`, EXIT_ERROR);
    const header = Buffer.alloc(length);
    readSync(file, header, 0, length, 8);
    let entries: Record<string, { dtype?: unknown; shape?: unknown; data_offsets?: unknown }>;
    try {
      entries = JSON.parse(header.toString('utf8'));
    } catch (error) {
      throw new CliError(`describe: ${path}: the safetensors header is not JSON (${(error as Error).message})`, EXIT_ERROR);
    }
    return Object.entries(entries)
      .filter(([name]) => name !== '__metadata__')
      .map(([name, entry]) => {
        if (typeof entry?.dtype !== 'string' || !Array.isArray(entry.shape) || !entry.shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
          throw new CliError(`describe: ${path}: tensor ${JSON.stringify(name).slice(0, 80)} has no dtype or shape in the header`, EXIT_ERROR);
        }
        const [begin, end] = Array.isArray(entry.data_offsets) ? (entry.data_offsets as number[]) : [0, 0];
        return { name, dtype: entry.dtype, shape: entry.shape as number[], bytes: { file: path, start: 8 + length + begin!, end: 8 + length + end!, dtype: entry.dtype } };
      });
  } finally {
    closeSync(file);
  }
}

/** The tensors of every shard a model.safetensors.index.json names (its weight_map), each shard's header read once. */
function shardedTensors(indexPath: string): LocatedTensor[] {
  let index: { weight_map?: Record<string, string> };
  try {
    index = JSON.parse(readFileSync(indexPath, 'utf8'));
  } catch (error) {
    throw new CliError(`describe: cannot read ${indexPath}: ${(error as Error).message}`, EXIT_ERROR);
  }
  if (!index.weight_map || typeof index.weight_map !== 'object') throw new CliError(`describe: ${indexPath} has no weight_map (is it a safetensors index?)`, EXIT_ERROR);
  const shards = [...new Set(Object.values(index.weight_map))];
  return shards.flatMap((shard) => {
    if (shard.includes('/') || shard.includes('\\')) throw new CliError(`describe: ${indexPath} names a shard outside its directory: ${shard.slice(0, 80)}`, EXIT_ERROR);
    return safetensorsTensors(join(dirname(indexPath), shard));
  });
}

/** What a Hugging Face config.json beside the weights says of experts, when it is there. */
function readConfig(directory: string): Pick<TensorTable, 'expertsPerToken' | 'experts'> {
  const path = join(directory, 'config.json');
  if (!existsSync(path)) return {};
  try {
    const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const count = (key: string) => (typeof config[key] === 'number' && Number.isInteger(config[key]) && (config[key] as number) > 0 ? (config[key] as number) : undefined);
    const expertsPerToken = count('num_experts_per_tok');
    const experts = count('n_routed_experts') ?? count('num_local_experts') ?? count('num_experts');
    return { ...(expertsPerToken ? { expertsPerToken } : {}), ...(experts ? { experts } : {}) };
  } catch {
    return {};
  }
}

/** A GGUF file's tensor table and metadata, read by @huggingface/gguf (the header only). */
async function readGguf(path: string): Promise<LocatedTable> {
  const { gguf, GGMLQuantizationType } = await import('@huggingface/gguf');
  let parsed;
  try {
    parsed = await gguf(path, { allowLocalFile: true });
  } catch (error) {
    throw new CliError(`describe: ${path} is not a GGUF file bitplan can read: ${(error as Error).message}`, EXIT_ERROR);
  }
  const metadata = parsed.metadata as Record<string, unknown>;
  const architecture = typeof metadata['general.architecture'] === 'string' ? metadata['general.architecture'] : '';
  const count = (key: string) => {
    const value = metadata[`${architecture}.${key}`];
    const n = typeof value === 'bigint' ? Number(value) : value;
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
  };
  const expertsPerToken = count('expert_used_count');
  const experts = count('expert_count');
  const name = typeof metadata['general.name'] === 'string' && metadata['general.name'] ? (metadata['general.name'] as string) : basename(path).replace(/\.gguf$/, '');
  return {
    layout: 'gguf',
    name,
    tensors: parsed.tensorInfos.map((info) => {
      const dtype = GGMLQuantizationType[info.dtype] ?? String(info.dtype);
      const shape = info.shape.map(Number);
      const start = Number(parsed.tensorDataOffset + info.offset);
      // Bytes are known for the float types only (the rest are blocks of quantized values).
      const width = dtype === 'F32' ? 4 : dtype === 'F16' || dtype === 'BF16' ? 2 : 0;
      return { name: info.name, shape, dtype, bytes: { file: path, start, end: start + width * shape.reduce((product, n) => product * n, 1), dtype } };
    }),
    ...(expertsPerToken ? { expertsPerToken } : {}),
    ...(experts ? { experts } : {}),
  };
}
