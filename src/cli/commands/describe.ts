import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CoreError, describeTensorTable, type ModelDescriptor } from '../../core/index.js';
import { readTensorTable, type LocatedTable } from '../checkpoint.js';
import { STREAMABLE_DTYPES, streamStats } from '../weightStats.js';
import { CliError, EXIT_ERROR, EXIT_PLAN } from '../errors.js';

export const DESCRIBE_USAGE = `usage:
  bitplan describe CHECKPOINT [--out FILE.json] [--name NAME] [--weight-stats] [--quiet]

CHECKPOINT is a .safetensors file, a model.safetensors.index.json (its shards beside it), a .gguf
file, or a directory holding one. Only the headers are read (names, dtypes, shapes): one layer
per 2-D weight with params, per-token MACs, row length, the input it reads and its GGUF name;
a config.json beside the weights gives the experts each token reaches. With --weight-stats each
planned F32, F16 or BF16 weight is read once, one tensor at a time in 16 MiB pieces, and its
absMax, rms and channels fill weightStats (what estimates each format's perturbation beside a
hessianTrace). The descriptor goes to --out (or stdout); what could not be known goes to stderr.
Add sensitivities (bitplan.torch) before planning.`;

/** `bitplan describe`: a ModelDescriptor from a checkpoint's tensor table. */
export async function describeCommand(argv: string[], print: (text: string) => void): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    print(DESCRIBE_USAGE);
    return EXIT_PLAN;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { out: { type: 'string' }, name: { type: 'string' }, quiet: { type: 'boolean' }, 'weight-stats': { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${DESCRIBE_USAGE}`, EXIT_ERROR);
  }
  const [path, ...extra] = parsed.positionals;
  if (!path || extra.length > 0) throw new CliError(DESCRIBE_USAGE, EXIT_ERROR);
  const table = await readTensorTable(path);
  let described;
  try {
    described = describeTensorTable(parsed.values.name ? { ...table, name: parsed.values.name } : table);
  } catch (error) {
    if (error instanceof CoreError) throw new CliError(`describe: ${path}: ${error.issues[0]?.message ?? error.message}`, EXIT_ERROR);
    throw error;
  }
  const { model, notes } = described;
  if (parsed.values['weight-stats']) notes.push(...fillWeightStats(model, table));
  const json = `${JSON.stringify(model, null, 2)}\n`;
  if (parsed.values.out) writeFileSync(parsed.values.out, json);
  else print(json.trimEnd());
  if (!parsed.values.quiet) {
    const params = model.layers.reduce((sum, layer) => sum + layer.params, 0);
    console.error(`described ${model.name}: ${model.layers.length} layers, ${params.toLocaleString('en-US')} planned parameters, ${(model.unplanned?.params ?? 0).toLocaleString('en-US')} in ${model.unplanned?.tensors.length ?? 0} tensors not planned${parsed.values.out ? `; written to ${parsed.values.out}` : ''}`);
    for (const note of notes) console.error(`note: ${note}`);
  }
  return EXIT_PLAN;
}

/**
 * weightStats of every planned layer whose weight is a float tensor, streamed from the files;
 * the notes say which layers could not have them (quantized GGUF types).
 */
function fillWeightStats(model: ModelDescriptor, table: LocatedTable): string[] {
  const byName = new Map(table.tensors.map((tensor) => [tensor.name, tensor]));
  const skipped: string[] = [];
  for (const layer of model.layers) {
    const tensor = byName.get(`${layer.name}.weight`)!;
    if (!STREAMABLE_DTYPES.has(tensor.dtype.toUpperCase())) {
      skipped.push(`${layer.name} (${tensor.dtype})`);
      continue;
    }
    const { absMax, rms, count } = streamStats(tensor.bytes);
    // Rows are output channels: the row count is the layer's params over its row length.
    const channels = layer.inFeatures ? Math.round(layer.params / layer.inFeatures) : undefined;
    layer.sensitivity = { ...layer.sensitivity, weightStats: { absMax, rms, count, ...(channels ? { granularity: 'per-channel' as const, channels } : {}) } };
  }
  return skipped.length > 0 ? [`no weightStats for ${skipped.length} layers whose weights are not F32, F16 or BF16: ${skipped.slice(0, 3).join(', ')}${skipped.length > 3 ? ', ...' : ''}`] : [];
}
