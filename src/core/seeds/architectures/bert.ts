import { architecture, type Architecture, type MatrixSpec } from './synthetic.js';

/**
 * BERT-base, uncased (HF config: hidden 768, 12 layers, 12 heads, intermediate 3072, vocab
 * 30522, 512 positions, 2 token types; https://huggingface.co/google-bert/bert-base-uncased).
 * Layers: the word embedding, per encoder layer q, k, v, attention output, intermediate and
 * output dense, and the pooler. MACs per token (attention score products excluded).
 */
export function bertBase(): Architecture {
  const hidden = 768;
  const intermediate = 3072;
  const specs: MatrixSpec[] = [
    { name: 'embeddings.word_embeddings', op: 'embedding', params: 30522 * hidden, macs: 0, fanIn: hidden, kind: 'edge', inputs: ['input_ids'] },
  ];
  let other = 512 * hidden + 2 * hidden + 2 * hidden; // position, token type, embedding LayerNorm
  for (let n = 0; n < 12; n++) {
    const p = `encoder.layer.${n}`;
    const input = n === 0 ? 'embeddings.LayerNorm' : `encoder.layer.${n - 1}.output.LayerNorm`;
    const square = (name: string, kind: 'value' | 'plain', inputs: string[]) => ({ name, op: 'linear', params: hidden * hidden, macs: hidden * hidden, fanIn: hidden, kind, inputs, activationElements: 2 * hidden, dotProductLength: hidden });
    specs.push(square(`${p}.attention.self.query`, 'plain', [input]));
    specs.push(square(`${p}.attention.self.key`, 'plain', [input]));
    specs.push(square(`${p}.attention.self.value`, 'value', [input]));
    specs.push(square(`${p}.attention.output.dense`, 'value', [`${p}.attention.self`]));
    specs.push({ name: `${p}.intermediate.dense`, op: 'linear', params: intermediate * hidden, macs: intermediate * hidden, fanIn: hidden, inputs: [`${p}.attention.output.LayerNorm`], activationElements: hidden + intermediate, dotProductLength: hidden });
    specs.push({ name: `${p}.output.dense`, op: 'linear', params: hidden * intermediate, macs: hidden * intermediate, fanIn: intermediate, kind: 'down', inputs: [`${p}.intermediate.act`], activationElements: hidden + intermediate, dotProductLength: intermediate });
    other += 4 * hidden + intermediate + hidden + 2 * 2 * hidden; // biases and two LayerNorms
  }
  specs.push({ name: 'pooler.dense', op: 'linear', params: hidden * hidden, macs: hidden * hidden, fanIn: hidden, kind: 'edge', inputs: ['encoder.layer.11.output.LayerNorm'], activationElements: 2 * hidden, dotProductLength: hidden });
  other += hidden;
  return architecture(specs, other);
}
