/**
 * What a checkpoint says of its tensors without their data: a safetensors header (names, dtypes,
 * shapes; https://huggingface.co/docs/safetensors/index) or a GGUF tensor table
 * (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md).
 */
export interface CheckpointTensor {
  name: string;
  /**
   * In the file's own order: PyTorch's for safetensors ([out, in] for a linear weight), ggml's
   * for GGUF (ne[0] first: [in, out], and [in, out, experts] for stacked experts).
   */
  shape: number[];
  /** The file's dtype name: F16, BF16, F32, ... (safetensors) or a ggml type name (GGUF: F16, Q4_K, ...). */
  dtype: string;
}

export interface TensorTable {
  layout: 'safetensors' | 'gguf';
  /** The model's name (GGUF general.name, else the file's name). */
  name: string;
  tensors: CheckpointTensor[];
  /** Experts each token is routed to (config.json num_experts_per_tok, GGUF <arch>.expert_used_count). */
  expertsPerToken?: number;
  /** Experts of each mixture-of-experts layer (config.json n_routed_experts / num_local_experts, GGUF <arch>.expert_count). */
  experts?: number;
}
