import type { Seed } from './seed.js';
import { bertBase } from './architectures/bert.js';
import { llama, LLAMA_2_70B, LLAMA_2_7B } from './architectures/llama.js';
import { mobilenetV2 } from './architectures/mobilenetV2.js';
import { deepseekV3, mixtral8x7b } from './architectures/moe.js';
import { SYNTHETIC_RULE, type Architecture } from './architectures/synthetic.js';


export interface ArchitectureSeed {
  name: string;
  description: string;
  source: string;
  /** The published total parameter count the computed total must equal. */
  publishedParams: number;
  build: () => Architecture;
}

/**
 * The architecture seeds: exact shapes from each model's published configuration, synthetic
 * sensitivities (SYNTHETIC_RULE). Built by code on first use, never stored as JSON.
 */
export const ARCHITECTURE_SEEDS: ArchitectureSeed[] = [
  {
    name: 'mobilenet-v2',
    description: 'MobileNetV2 (width 1.0, 224x224, ImageNet), torchvision layout: 52 convolutions and the classifier',
    source: 'torchvision mobilenet_v2 (models/mobilenetv2.py, inverted_residual_setting); total 3,504,872 parameters, https://pytorch.org/vision/stable/models/generated/torchvision.models.mobilenet_v2.html',
    publishedParams: 3_504_872,
    build: mobilenetV2,
  },
  {
    name: 'bert-base',
    description: 'BERT-base uncased: word embedding, 12 encoder layers of 6 linear layers, pooler; MACs per token',
    source: 'config of google-bert/bert-base-uncased (https://huggingface.co/google-bert/bert-base-uncased; read from its duplicate https://huggingface.co/rayTest/bert-base-uncased/blob/main/config.json); total 109,482,240 (keras-hub bert_base_en_uncased)',
    publishedParams: 109_482_240,
    build: bertBase,
  },
  {
    name: 'llama-2-7b',
    description: 'Llama-2-7B: embeddings, 32 decoder layers of 7 linear layers, lm_head; MACs per token',
    source: 'config of meta-llama/Llama-2-7b-hf (https://huggingface.co/meta-llama/Llama-2-7b-hf; gated, read from copies naming it, e.g. https://huggingface.co/kashif/stack-llama-2/blob/refs%2Fpr%2F5/config.json); total 6,738,415,616',
    publishedParams: 6_738_415_616,
    build: () => llama(LLAMA_2_7B),
  },
  {
    name: 'llama-2-70b',
    description: 'Llama-2-70B: embeddings, 80 decoder layers of 7 linear layers (grouped-query attention, 8 KV heads), lm_head; MACs per token',
    source: 'config of meta-llama/Llama-2-70b-hf (https://huggingface.co/meta-llama/Llama-2-70b-hf; gated, read from https://huggingface.co/galqiwi/llama2-70b-hf/blob/10a97a0a7de3926c2d03eba4e9c216501e00beba/config.json); total 68,976,648,192 (computed, as in together-python\'s table)',
    publishedParams: 68_976_648_192,
    build: () => llama(LLAMA_2_70B),
  },
  {
    name: 'mixtral-8x7b',
    description: 'Mixtral-8x7B-v0.1: 32 layers of attention and 8 experts (w1, w2, w3 each a layer), expert MACs per token x 2/8',
    source: 'config of mistralai/Mixtral-8x7B-Instruct-v0.1, https://huggingface.co/mistralai/Mixtral-8x7B-Instruct-v0.1/blob/eba92302a2861cdc0098cc54bc9f17cb2c47eb61/config.json; total 46,702,792,704 (keras-hub mixtral_8_7b_en; paper: arXiv:2401.04088)',
    publishedParams: 46_702_792_704,
    build: mixtral8x7b,
  },
  {
    name: 'deepseek-v3',
    description: 'DeepSeek-V3 (671B main model): 61 MLA blocks, 3 dense MLPs, 58 MoE blocks of 256 routed experts plus a shared one, each expert matrix a layer (45,034 layers); routed expert MACs per token x 8/256',
    source: 'deepseek-ai/DeepSeek-V3 inference/configs/config_671B.json and inference/model.py, https://github.com/deepseek-ai/DeepSeek-V3; README: 671B total parameters (main model, MTP excluded), computed exactly as 671,026,419,200',
    publishedParams: 671_026_419_200,
    build: deepseekV3,
  },
];

export function architectureSeed(definition: ArchitectureSeed, built: Architecture): Seed {
  return {
    name: definition.name,
    description: definition.description,
    provenance: {
      source: definition.source,
      synthetic: true,
      notes: `${SYNTHETIC_RULE}. Shapes, parameter and MAC counts are exact; layers carry no candidates, so name them in the request or pick a hardware profile. Model total ${built.totalParams.toLocaleString('en-US')} parameters (norms, biases and routers included), layer MACs ${built.totalMacs.toLocaleString('en-US')}.`,
    },
    model: { name: definition.name, layers: built.layers },
  };
}
